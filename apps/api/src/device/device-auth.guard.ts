import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { Repository } from 'typeorm';
import { AssentError, ErrorKind } from '@assent/domain';
import { AuditEventType, AuditLog, Cardholder, Device } from '@assent/persistence';
import { hashSecret } from '../common/secrets';
import { auditContext } from '../common/request-context';

/** The device making a request, with the cardholder it belongs to. */
export interface AuthenticatedDevice {
  device: Device;
  customerNumber: string;
}

type DeviceRequest = FastifyRequest & { authenticatedDevice?: AuthenticatedDevice };

/** `Authorization: Bearer {deviceToken}`; missing, unknown or revoked answers 401 (contract §4). */
@Injectable()
export class DeviceAuthGuard implements CanActivate {
  constructor(
    @InjectRepository(Device) private readonly devices: Repository<Device>,
    @InjectRepository(Cardholder) private readonly cardholders: Repository<Cardholder>,
    private readonly audit: AuditLog,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<DeviceRequest>();
    const token = /^Bearer ([A-Za-z0-9_-]{10,100})$/.exec(request.headers.authorization ?? '')?.[1];
    const device = token ? await this.devices.findOneBy({ tokenHash: hashSecret(token) }) : null;
    if (!device || device.status !== 'active') {
      if (device) {
        // A revoked device's token in use again: it may have been stolen.
        this.audit.recordInBackground({ type: AuditEventType.DeviceAuthFailed, deviceId: device.id, ...auditContext(request), details: { reason: 'revoked' } });
      }
      throw new AssentError(ErrorKind.Unauthenticated, 'INVALID_DEVICE_TOKEN', 'Missing, unknown or revoked device token');
    }
    const cardholder = await this.cardholders.findOneByOrFail({ id: device.cardholderId });
    request.authenticatedDevice = { device, customerNumber: cardholder.customerNumber };
    return true;
  }
}

export const CurrentDevice = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedDevice => {
  const device = context.switchToHttp().getRequest<DeviceRequest>().authenticatedDevice;
  if (!device) throw new Error('CurrentDevice used without DeviceAuthGuard');
  return device;
});
