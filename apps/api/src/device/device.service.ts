import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ENVIRONMENT, Environment } from '@assent/config';
import { AssentError, DeviceStatusView, ErrorKind, isAllowedPushEndpoint, parseOrReject } from '@assent/domain';
import { AuditEventType, AuditLog, Device } from '@assent/persistence';
import { AuthenticatedDevice } from './device-auth.guard';
import { DeviceRevocation } from './device-revocation.service';
import { AuditContext } from '../common/request-context';
import { pushSubscriptionRequestSchema } from './device.schemas';

/** A device managing itself: its push subscription, its status, its removal. */
@Injectable()
export class DeviceService {
  constructor(
    @InjectRepository(Device) private readonly devices: Repository<Device>,
    @Inject(ENVIRONMENT) private readonly env: Environment,
    private readonly revocation: DeviceRevocation,
    private readonly audit: AuditLog,
  ) {}

  status({ device }: AuthenticatedDevice): DeviceStatusView {
    return {
      deviceId: device.id,
      name: device.name,
      pushStatus: device.pushStatus,
      createdAt: device.createdAt.toISOString(),
      lastUsedAt: device.lastUsedAt?.toISOString() ?? null,
    };
  }

  async updatePushSubscription(caller: AuthenticatedDevice, body: unknown, context: AuditContext): Promise<void> {
    const { pushSubscription } = parseOrReject(pushSubscriptionRequestSchema, body);
    if (!isAllowedPushEndpoint(pushSubscription.endpoint, this.env.PUSH_ALLOWED_HOSTS)) {
      this.audit.recordInBackground({
        type: AuditEventType.PushSubscriptionRejected,
        customerNumber: caller.customerNumber,
        deviceId: caller.device.id,
        ...context,
        details: { host: new URL(pushSubscription.endpoint).hostname },
      });
      throw new AssentError(ErrorKind.Validation, 'PUSH_ENDPOINT_NOT_ALLOWED', 'The push endpoint is not on an allowed push service', '$.pushSubscription.endpoint');
    }
    await this.devices.update({ id: caller.device.id }, { pushSubscription, pushStatus: 'active' });
  }

  /** The cardholder removes this device. */
  async remove(caller: AuthenticatedDevice, context: AuditContext): Promise<void> {
    await this.revocation.revoke({ deviceId: caller.device.id, customerNumber: caller.customerNumber }, context);
  }
}
