import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One POST of a result to Enfuce's callback: what was sent and what came back. */
@Entity('callback_attempts')
export class CallbackAttempt {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @Column({ type: 'int' })
  attempt!: number;

  @Column({ type: 'text' })
  result!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'duration_ms', type: 'int' })
  durationMs!: number;

  @Column({ name: 'status_code', type: 'int', nullable: true })
  statusCode!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
