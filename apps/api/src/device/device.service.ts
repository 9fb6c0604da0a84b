import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ENVIRONMENT, Environment } from '@assent/config';
import { AssentError, DeviceStatusView, ErrorKind, isAllowedPushEndpoint, parseOrReject } from '@assent/domain';
import { AuditEventType, AuditLog, Device } from '@assent/persistence';
import { DeviceIndex } from '@assent/sessions';
import { AuthenticatedDevice } from './device-auth.guard';
import { pushSubscriptionRequestSchema } from './device.schemas';

interface AuditContext {
  remoteAddress: string;
  requestId: string;
}

/** A device managing itself: its push subscription, its status, its removal. */
@Injectable()
export class DeviceService {
  constructor(
    @InjectRepository(Device) private readonly devices: Repository<Device>,
    @Inject(ENVIRONMENT) private readonly env: Environment,
    private readonly deviceIndex: DeviceIndex,
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

  /** The cardholder removes this device: its token stops working at once, and it gets no more pushes. */
  async remove(caller: AuthenticatedDevice, context: AuditContext): Promise<void> {
    await this.devices.update({ id: caller.device.id }, { status: 'revoked', revokedAt: new Date(), pushSubscription: null, pushStatus: 'none' });
    await this.deviceIndex.remove(caller.customerNumber, caller.device.id);
    await this.audit.record({
      type: AuditEventType.DeviceRevoked,
      customerNumber: caller.customerNumber,
      deviceId: caller.device.id,
      ...context,
      details: { by: 'cardholder' },
    });
  }
}
