import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The lasting summary of one authentication, written by the worker; Redis forgets, this does not. */
@Entity('authentication_sessions')
export class AuthenticationSession {
  @PrimaryColumn({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @Column({ name: 'institution_code', type: 'text' })
  institutionCode!: string;

  @Column({ name: 'customer_number', type: 'text' })
  customerNumber!: string;

  @Column({ type: 'text' })
  state!: string;

  /** SUCCESS / FAIL / ERROR / TIMEOUT once settled. */
  @Column({ type: 'text', nullable: true })
  result!: string | null;

  @Column({ name: 'merchant_name', type: 'text' })
  merchantName!: string;

  @Column({ name: 'merchant_country', type: 'text', nullable: true })
  merchantCountry!: string | null;

  @Column({ name: 'merchant_url', type: 'text', nullable: true })
  merchantUrl!: string | null;

  @Column({ type: 'numeric', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  amount!: number;

  @Column({ type: 'text' })
  currency!: string;

  /** Masked as Enfuce sends it; never a full card number. */
  @Column({ name: 'card_number_masked', type: 'text', nullable: true })
  cardNumberMasked!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt!: Date | null;

  @Column({ name: 'decided_by_device_id', type: 'uuid', nullable: true })
  decidedByDeviceId!: string | null;

  @Column({ name: 'decline_reason', type: 'text', nullable: true })
  declineReason!: string | null;

  @Column({ name: 'error_reason', type: 'text', nullable: true })
  errorReason!: string | null;

  @Column({ name: 'callback_outcome', type: 'text', nullable: true })
  callbackOutcome!: string | null;

  @Column({ name: 'callback_settled_at', type: 'timestamptz', nullable: true })
  callbackSettledAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
