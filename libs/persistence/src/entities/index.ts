import { ApprovalToken } from './approval-token.entity';
import { AdminUser } from './admin-user.entity';
import { AuditEvent } from './audit-event.entity';
import { AuthenticationSession } from './authentication-session.entity';
import { CallbackAttempt } from './callback-attempt.entity';
import { ChallengeView } from './challenge-view.entity';
import { Cardholder } from './cardholder.entity';
import { Device } from './device.entity';
import { Enrollment } from './enrollment.entity';
import { Institution } from './institution.entity';
import { PushDelivery } from './push-delivery.entity';
import { TokenVerification } from './token-verification.entity';

export * from './approval-token.entity';
export * from './admin-user.entity';
export * from './audit-event.entity';
export * from './authentication-session.entity';
export * from './callback-attempt.entity';
export * from './challenge-view.entity';
export * from './cardholder.entity';
export * from './device.entity';
export * from './enrollment.entity';
export * from './institution.entity';
export * from './push-delivery.entity';
export * from './token-verification.entity';

export const ENTITIES = [
  ApprovalToken,
  AdminUser,
  AuditEvent,
  AuthenticationSession,
  CallbackAttempt,
  ChallengeView,
  Cardholder,
  Device,
  Enrollment,
  Institution,
  PushDelivery,
  TokenVerification,
];
