import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  generateRegistrationOptions,
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { DataSource, EntityManager, IsNull, MoreThan } from 'typeorm';
import { ENVIRONMENT, Environment } from '@assent/config';
import { AssentError, ErrorKind, isAllowedPushEndpoint, parseOrReject } from '@assent/domain';
import { AuditEventType, AuditLog, Cardholder, Device, Enrollment, PushSubscriptionJson } from '@assent/persistence';
import { REDIS, RedisConnection } from '@assent/queue';
import { DeviceIndex, RedisKeys } from '@assent/sessions';
import { hashSecret, newSecret } from '../common/secrets';
import { activationRequestSchema, registrationRequestSchema } from './device.schemas';

// Long enough to read the screen and touch the sensor; the code itself lives longer.
const REGISTRATION_CEREMONY_SECONDS = 300;

export interface RegisteredDevice {
  deviceId: string;
  deviceToken: string;
}

interface AuditContext {
  remoteAddress: string;
  requestId: string;
}

/** Enrolls a device with a passkey, given an activation code from the issuer (contract §3, §4). */
@Injectable()
export class DeviceRegistrationService {
  private readonly keys: RedisKeys;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: RedisConnection,
    @Inject(ENVIRONMENT) private readonly env: Environment,
    private readonly deviceIndex: DeviceIndex,
    private readonly audit: AuditLog,
  ) {
    this.keys = new RedisKeys(env.REDIS_KEY_PREFIX);
  }

  async registrationOptions(body: unknown, context: AuditContext): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const { activationCode } = parseOrReject(activationRequestSchema, body);
    const codeHash = hashSecret(activationCode);
    const { cardholder } = await this.usableEnrollment(this.dataSource.manager, codeHash, context);
    const existing = await this.dataSource.manager.findBy(Device, { cardholderId: cardholder.id, status: 'active' });
    const options = await generateRegistrationOptions({
      rpName: this.env.WEBAUTHN_RP_NAME,
      rpID: this.env.WEBAUTHN_RP_ID,
      userID: Buffer.from(cardholder.id.replaceAll('-', ''), 'hex'),
      userName: cardholder.displayName ?? cardholder.customerNumber,
      userDisplayName: cardholder.displayName ?? '',
      attestationType: 'none',
      // One passkey per device: a platform authenticator already enrolled is refused by the browser.
      excludeCredentials: existing.map((device) => ({ id: device.credentialId, transports: device.transports as never })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      supportedAlgorithmIDs: [-7, -257],
      timeout: REGISTRATION_CEREMONY_SECONDS * 1000,
    });
    await this.redis.set(this.keys.registrationChallenge(codeHash), options.challenge, 'EX', REGISTRATION_CEREMONY_SECONDS);
    return options;
  }

  async register(body: unknown, context: AuditContext): Promise<RegisteredDevice> {
    const request = parseOrReject(registrationRequestSchema, body);
    const codeHash = hashSecret(request.activationCode);
    if (request.pushSubscription && !isAllowedPushEndpoint(request.pushSubscription.endpoint, this.env.PUSH_ALLOWED_HOSTS)) {
      this.audit.recordInBackground({
        type: AuditEventType.PushSubscriptionRejected,
        ...context,
        details: { host: new URL(request.pushSubscription.endpoint).hostname, during: 'registration' },
      });
      throw new AssentError(ErrorKind.Validation, 'PUSH_ENDPOINT_NOT_ALLOWED', 'The push endpoint is not on an allowed push service', '$.pushSubscription.endpoint');
    }
    // The challenge is single-use: taken and deleted in one command.
    const expectedChallenge = await this.redis.getdel(this.keys.registrationChallenge(codeHash));
    if (!expectedChallenge) {
      throw new AssentError(ErrorKind.Invalid, 'REGISTRATION_NOT_STARTED', 'Ask for registration options first, then register within 5 minutes', '$.activationCode');
    }
    const verified = await verifyRegistrationResponse({
      response: request.credential as unknown as RegistrationResponseJSON,
      expectedChallenge,
      expectedOrigin: this.env.WEBAUTHN_ORIGINS,
      expectedRPID: this.env.WEBAUTHN_RP_ID,
      requireUserVerification: true,
    }).catch((error: Error) => ({ verified: false as const, registrationInfo: undefined, reason: error.message }));
    if (!verified.verified || !verified.registrationInfo) {
      const reason = 'reason' in verified ? verified.reason : 'verification failed';
      this.audit.recordInBackground({ type: AuditEventType.EnrollmentRejected, ...context, details: { reason } });
      throw new AssentError(ErrorKind.Forbidden, 'REGISTRATION_REJECTED', 'The passkey could not be verified', reason);
    }
    const { credential } = verified.registrationInfo;
    const deviceToken = newSecret('dt');
    const subscription: PushSubscriptionJson | null = request.pushSubscription ?? null;

    const { device, customerNumber } = await this.dataSource.transaction(async (manager) => {
      const { enrollment, cardholder } = await this.usableEnrollment(manager, codeHash, context, true);
      const active = await manager.countBy(Device, { cardholderId: cardholder.id, status: 'active' });
      if (active >= this.env.MAX_DEVICES_PER_CARDHOLDER) {
        throw new AssentError(ErrorKind.Conflict, 'DEVICE_LIMIT_REACHED', `A cardholder may have at most ${this.env.MAX_DEVICES_PER_CARDHOLDER} devices; remove one first`);
      }
      const device = manager.create(Device, {
        cardholderId: cardholder.id,
        name: request.name ?? 'My device',
        status: 'active',
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey),
        signCount: credential.counter,
        transports: credential.transports ?? [],
        pushSubscription: subscription,
        pushStatus: subscription ? 'active' : 'none',
        tokenHash: hashSecret(deviceToken),
      });
      await manager.save(device);
      await manager.update(Enrollment, { id: enrollment.id }, { usedAt: new Date(), deviceId: device.id });
      return { device, customerNumber: cardholder.customerNumber };
    }).catch((error: { code?: string }) => {
      // Unique credential id: the same passkey cannot be enrolled twice.
      if (error.code === '23505') throw new AssentError(ErrorKind.Conflict, 'CREDENTIAL_EXISTS', 'This passkey is already enrolled');
      throw error;
    });

    await this.deviceIndex.add(customerNumber, device.id);
    await this.audit.record({
      type: AuditEventType.DeviceRegistered,
      customerNumber,
      deviceId: device.id,
      ...context,
      details: { name: device.name, pushMode: subscription ? 'push' : 'poll' },
    });
    return { deviceId: device.id, deviceToken };
  }

  /**
   * The enrollment behind an activation code, if it is unused and unexpired. With
   * `lock`, the row is locked for the rest of the transaction, so two registrations
   * racing on one code cannot both use it.
   */
  private async usableEnrollment(manager: EntityManager, codeHash: string, context: AuditContext, lock = false) {
    const enrollment = await manager.findOne(Enrollment, {
      where: { codeHash, usedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!enrollment) {
      this.audit.recordInBackground({ type: AuditEventType.EnrollmentRejected, ...context, details: { reason: 'unknown, used or expired activation code' } });
      throw new AssentError(ErrorKind.Invalid, 'ACTIVATION_CODE_INVALID', 'The activation code is unknown, used or expired; ask your bank for a new link', '$.activationCode');
    }
    const cardholder = await manager.findOneByOrFail(Cardholder, { id: enrollment.cardholderId });
    return { enrollment, cardholder };
  }
}
