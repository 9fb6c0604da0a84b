import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One answered authenticateWithToken request, kept under its idempotency key
 * (paymentIntegratorAccountId + requestId) so a retry gets the same answer.
 */
@Entity('token_verifications')
export class TokenVerification {
  @PrimaryColumn({ name: 'payment_integrator_account_id', type: 'text' })
  paymentIntegratorAccountId!: string;

  @PrimaryColumn({ name: 'request_id', type: 'text' })
  requestId!: string;

  /** SHA-256 of the request as parsed: a retry must match it, anything else under the key is refused. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ type: 'jsonb' })
  response!: Record<string, unknown>;

  @Column({ name: 'approval_token_id', type: 'uuid', nullable: true })
  approvalTokenId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
