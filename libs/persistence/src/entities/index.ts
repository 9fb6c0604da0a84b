import { ApprovalToken } from './approval-token.entity';
import { AuditEvent } from './audit-event.entity';
import { AuthenticationSession } from './authentication-session.entity';
import { CallbackAttempt } from './callback-attempt.entity';
import { Cardholder } from './cardholder.entity';
import { Device } from './device.entity';
import { Enrollment } from './enrollment.entity';
import { Institution } from './institution.entity';
import { PushDelivery } from './push-delivery.entity';
import { TokenVerification } from './token-verification.entity';

export * from './approval-token.entity';
export * from './audit-event.entity';
export * from './authentication-session.entity';
export * from './callback-attempt.entity';
export * from './cardholder.entity';
export * from './device.entity';
export * from './enrollment.entity';
export * from './institution.entity';
export * from './push-delivery.entity';
export * from './token-verification.entity';

export const ENTITIES = [
  ApprovalToken,
  AuditEvent,
  AuthenticationSession,
  CallbackAttempt,
  Cardholder,
  Device,
  Enrollment,
  Institution,
  PushDelivery,
  TokenVerification,
];
