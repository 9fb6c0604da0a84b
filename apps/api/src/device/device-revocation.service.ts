import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditEventType, AuditLog, Device } from '@assent/persistence';
import { DeviceIndex } from '@assent/sessions';
import { AuditContext } from '../common/request-context';

/**
 * The one way a device is revoked, whether the cardholder removes it or an operator
 * does from the dashboard: its token stops working at once, it gets no more pushes,
 * and it leaves the Redis device index, so a webhook for a cardholder without any
 * device left answers 404 instead of waiting for a phone that will never answer.
 */
@Injectable()
export class DeviceRevocation {
  constructor(
    @InjectRepository(Device) private readonly devices: Repository<Device>,
    private readonly deviceIndex: DeviceIndex,
    private readonly audit: AuditLog,
  ) {}

  /** False when the device was not active (already revoked, or unknown). */
  async revoke(device: { deviceId: string; customerNumber: string }, context: AuditContext): Promise<boolean> {
    const changed = await this.devices.update(
      { id: device.deviceId, status: 'active' },
      { status: 'revoked', revokedAt: new Date(), pushSubscription: null, pushStatus: 'none' },
    );
    if (!changed.affected) return false;
    await this.deviceIndex.remove(device.customerNumber, device.deviceId);
    await this.audit.record({
      type: AuditEventType.DeviceRevoked,
      customerNumber: device.customerNumber,
      deviceId: device.deviceId,
      ...context,
      details: { by: context.actor ? 'admin' : 'cardholder' },
    });
    return true;
  }
}
