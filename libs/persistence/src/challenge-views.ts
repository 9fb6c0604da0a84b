import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ChallengeView, ChallengeViewKind } from './entities';

/**
 * Remembers when each device first fetched or opened a challenge, so support can
 * tell "the phone never saw it" from "the phone saw it and nobody answered". Only
 * the first time counts (a polling app fetches the same challenge many times), and
 * the write happens in the background: the device's answer never waits on it.
 */
@Injectable()
export class ChallengeViews {
  private readonly logger = new Logger(ChallengeViews.name);

  constructor(@InjectRepository(ChallengeView) private readonly views: Repository<ChallengeView>) {}

  recordInBackground(deviceId: string, sessionIds: string[], kind: ChallengeViewKind): void {
    if (!sessionIds.length) return;
    this.views
      .createQueryBuilder()
      .insert()
      .values(sessionIds.map((sessionId) => ({ sessionId, deviceId, kind })))
      .orIgnore()
      .execute()
      .catch((error: Error) => this.logger.error({ msg: 'Could not record a challenge view', err: error, deviceId, kind }));
  }
}
