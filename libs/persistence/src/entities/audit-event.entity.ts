import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum AuditEventType {
  WebhookRejected = 'webhook.rejected',
  AssertionRejected = 'assertion.rejected',
  /** Too many rejected assertions: the device may not approve until the lockout ends. */
  DeviceLockedOut = 'device.locked_out',
  DeviceRegistered = 'device.registered',
  DeviceRevoked = 'device.revoked',
  DeviceAuthFailed = 'device.auth_failed',
  EnrollmentCreated = 'enrollment.created',
  EnrollmentRejected = 'enrollment.rejected',
  SessionDecided = 'session.decided',
  PushSubscriptionRejected = 'push_subscription.rejected',
  IssuerAuthFailed = 'issuer.auth_failed',
  ApprovalTokenIssued = 'approval_token.issued',
  ApprovalTokenRetrieved = 'approval_token.retrieved',
  /** An authenticateWithToken answer, first or replayed; details say which and why. */
  ApprovalTokenVerified = 'approval_token.verified',
  /** An idempotency key reused with a different request. */
  ApprovalTokenRequestConflict = 'approval_token.request_conflict',
  AdminSignedIn = 'admin.signed_in',
  AdminSignInFailed = 'admin.sign_in_failed',
  AdminLockedOut = 'admin.locked_out',
  AdminSignedOut = 'admin.signed_out',
  AdminAccessDenied = 'admin.access_denied',
  AdminUserCreated = 'admin.user_created',
  AdminUserChanged = 'admin.user_changed',
  AuditLogExported = 'admin.audit_exported',
}

/** A security event. The table refuses UPDATE and DELETE (see the migration): append-only. */
@Entity('audit_events')
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;

  @Column({ type: 'text' })
  type!: AuditEventType;

  @Column({ name: 'customer_number', type: 'text', nullable: true })
  customerNumber!: string | null;

  @Column({ name: 'session_id', type: 'uuid', nullable: true })
  sessionId!: string | null;

  @Column({ name: 'device_id', type: 'uuid', nullable: true })
  deviceId!: string | null;

  @Column({ name: 'remote_address', type: 'text', nullable: true })
  remoteAddress!: string | null;

  /** Request id of the error answer, to join with the log. */
  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  /** The admin user (email) who did an admin action; null for events of devices, Enfuce or the issuer. */
  @Column({ type: 'text', nullable: true })
  actor!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;
}
