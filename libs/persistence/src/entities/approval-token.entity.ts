import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Proof that a cardholder approved one session on one device. Only the token's
 * SHA-256 is stored; the token itself is an HMAC of the id (see ApprovalTokens).
 */
@Entity('approval_tokens')
export class ApprovalToken {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'token_hash', type: 'text', unique: true })
  tokenHash!: string;

  @Column({ name: 'session_id', type: 'uuid', unique: true })
  sessionId!: string;

  @Column({ name: 'customer_number', type: 'text' })
  customerNumber!: string;

  @Column({ type: 'numeric', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  amount!: number;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ name: 'merchant_name', type: 'text' })
  merchantName!: string;

  /** The device that approved; revoking it revokes the token. */
  @Column({ name: 'device_id', type: 'uuid' })
  deviceId!: string;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
