import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PushStatus } from '@assent/domain';

export type { PushStatus };

export type DeviceStatus = 'active' | 'revoked';


export interface PushSubscriptionJson {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** A cardholder's enrolled device: its passkey, its push subscription and its API token (hashed). */
@Entity('devices')
export class Device {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'cardholder_id', type: 'uuid' })
  cardholderId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  status!: DeviceStatus;

  /** WebAuthn credential id, base64url. */
  @Column({ name: 'credential_id', type: 'text', unique: true })
  credentialId!: string;

  /** COSE public key of the credential. */
  @Column({ name: 'public_key', type: 'bytea' })
  publicKey!: Buffer;

  @Column({ name: 'sign_count', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  signCount!: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  transports!: string[];

  @Column({ name: 'push_subscription', type: 'jsonb', nullable: true })
  pushSubscription!: PushSubscriptionJson | null;

  @Column({ name: 'push_status', type: 'text' })
  pushStatus!: PushStatus;

  /** SHA-256 of the device token; the token itself is shown once, to the device. */
  @Column({ name: 'token_hash', type: 'text', unique: true })
  tokenHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
