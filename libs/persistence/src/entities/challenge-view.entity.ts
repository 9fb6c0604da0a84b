import { Column, Entity, PrimaryColumn } from 'typeorm';

/** fetched: a device listed the challenge (the poll fallback); opened: it asked for the assertion options. */
export type ChallengeViewKind = 'fetched' | 'opened';

/** The first time a device fetched or opened a challenge, for the session timeline. */
@Entity('challenge_views')
export class ChallengeView {
  @PrimaryColumn({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @PrimaryColumn({ name: 'device_id', type: 'uuid' })
  deviceId!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: ChallengeViewKind;

  @Column({ name: 'first_at', type: 'timestamptz', default: () => 'now()' })
  firstAt!: Date;
}
