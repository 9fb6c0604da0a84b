import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type PushDeliveryOutcome = 'accepted' | 'expired' | 'refused' | 'transient';

/** One push to one device for one session, and what the push service answered. */
@Entity('push_deliveries')
export class PushDelivery {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @Column({ name: 'device_id', type: 'uuid' })
  deviceId!: string;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt!: Date;

  @Column({ name: 'duration_ms', type: 'int' })
  durationMs!: number;

  @Column({ name: 'status_code', type: 'int', nullable: true })
  statusCode!: number | null;

  @Column({ type: 'text' })
  outcome!: PushDeliveryOutcome;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
