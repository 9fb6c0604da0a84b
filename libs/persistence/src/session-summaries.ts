import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isTerminal, resultOf } from '@assent/domain';
import type { StoredSession } from '@assent/sessions';
import { DeferredRecords } from './deferred-records';
import { AuthenticationSession, Institution } from './entities';

/**
 * The lasting summary of each session in Postgres. Both writes are idempotent, so a
 * retried job may repeat them, and in either order: the opening never overwrites.
 */
@Injectable()
export class SessionSummaries {
  // Institutions this process has written: a new one is rare, a query per summary is not.
  private readonly knownInstitutions = new Set<string>();

  constructor(
    @InjectRepository(AuthenticationSession) private readonly sessions: Repository<AuthenticationSession>,
    @InjectRepository(Institution) private readonly institutions: Repository<Institution>,
    private readonly deferred: DeferredRecords,
  ) {}

  recordOpened(session: StoredSession): Promise<void> {
    return this.deferred.writeOrDefer({ kind: 'session-opened', session }, () => this.writeOpened(session));
  }

  recordSettled(session: StoredSession): Promise<void> {
    return this.deferred.writeOrDefer({ kind: 'session-settled', session }, () => this.writeSettled(session));
  }

  /** The session as it opened; never overwrites a summary already written. */
  async writeOpened(session: StoredSession): Promise<void> {
    await this.ensureInstitution(session.institutionCode);
    await this.sessions.createQueryBuilder().insert().values(this.row(session)).orIgnore().execute();
  }

  /** The session as it ended, with how its callback went. */
  async writeSettled(session: StoredSession): Promise<void> {
    await this.ensureInstitution(session.institutionCode);
    await this.sessions.upsert(this.row(session), { conflictPaths: ['sessionId'] });
  }

  private async ensureInstitution(code: string): Promise<void> {
    if (this.knownInstitutions.has(code)) return;
    await this.institutions.createQueryBuilder().insert().values({ code }).orIgnore().execute();
    this.knownInstitutions.add(code);
  }

  private row(session: StoredSession): Partial<AuthenticationSession> {
    const state = session.state;
    return {
      sessionId: session.sessionId,
      institutionCode: session.institutionCode,
      customerNumber: session.customerNumber,
      state: session.state,
      result: isTerminal(state) ? resultOf(state) : null,
      merchantName: session.merchant.name,
      merchantCountry: session.merchant.country ?? null,
      merchantUrl: session.merchant.url ?? null,
      amount: session.transaction.amount,
      currency: session.transaction.currency,
      cardNumberMasked: session.transaction.cardNumber ?? null,
      receivedAt: new Date(session.receivedAt),
      expiresAt: new Date(session.expiresAt),
      settledAt: optionalDate(session.settledAt),
      decidedByDeviceId: session.decidedByDeviceId ?? null,
      declineReason: session.declineReason ?? null,
      errorReason: session.errorReason ?? null,
      callbackOutcome: session.callbackOutcome ?? null,
      callbackSettledAt: optionalDate(session.callbackSettledAt),
    };
  }
}

function optionalDate(ms: number | undefined): Date | null {
  return ms === undefined ? null : new Date(ms);
}
