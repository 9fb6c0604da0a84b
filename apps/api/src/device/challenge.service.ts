import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  AuthenticationResponseJSON,
  generateAuthenticationOptions,
  PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { Repository } from 'typeorm';
import { ENVIRONMENT, Environment } from '@assent/config';
import {
  AssentError,
  AuthenticationResult,
  ChallengeView,
  ErrorKind,
  parseOrReject,
  PendingChallenge,
  SessionState,
  transactionChallenge,
} from '@assent/domain';
import { AuditEventType, AuditLog, ChallengeViews, Device } from '@assent/persistence';
import { SessionStore, StoredSession } from '@assent/sessions';
import { annotateActiveSpan, inSessionTrace, SessionAttribute, sessionAttributes } from '@assent/telemetry';
import { ApprovalTokens, IssuedApprovalToken } from '../approval-token/approval-tokens.service';
import { RateLimits } from '../common/rate-limits';
import { AuditContext } from '../common/request-context';
import { AuthenticatedDevice } from './device-auth.guard';
import { DecisionRequest, decisionRequestSchema, sessionIdSchema } from './device.schemas';

/** The answer to a decision: an approval also carries its proof (contract §4 answers `{result}`; the token is an addition). */
export interface DecisionAnswer {
  result: AuthenticationResult;
  approvalToken?: IssuedApprovalToken;
}

/** The cardholder's answer to a challenge: approve with a passkey bound to the transaction, or decline. */
@Injectable()
export class ChallengeService {
  constructor(
    private readonly sessions: SessionStore,
    @InjectRepository(Device) private readonly devices: Repository<Device>,
    @Inject(ENVIRONMENT) private readonly env: Environment,
    private readonly audit: AuditLog,
    private readonly approvalTokens: ApprovalTokens,
    private readonly views: ChallengeViews,
    private readonly rateLimits: RateLimits,
  ) {}

  /** The poll fallback: what a device without push sees when the app opens. */
  async pending(caller: AuthenticatedDevice): Promise<PendingChallenge[]> {
    const sessions = await this.sessions.pendingFor(caller.customerNumber);
    this.views.recordInBackground(caller.device.id, sessions.map((session) => session.sessionId), 'fetched');
    return sessions.map(toPendingChallenge);
  }

  /**
   * One of this cardholder's challenges, whatever its state, so the approval screen
   * can say "timed out" or "already approved" instead of only "not found".
   */
  async challenge(caller: AuthenticatedDevice, params: unknown): Promise<ChallengeView> {
    const session = await this.sessionOf(caller, params);
    return { ...toPendingChallenge(session), state: currentState(session) };
  }

  async assertionOptions(caller: AuthenticatedDevice, params: unknown): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const session = await this.pendingSessionOf(caller, params);
    this.views.recordInBackground(caller.device.id, [session.sessionId], 'opened');
    return generateAuthenticationOptions({
      rpID: this.env.WEBAUTHN_RP_ID,
      // The challenge is the transaction itself (dynamic linking), not a random value.
      challenge: isoBase64URL.toBuffer(transactionChallenge(linkedTransaction(session))),
      allowCredentials: [{ id: caller.device.credentialId, transports: caller.device.transports as never }],
      userVerification: 'required',
      timeout: Math.max(1000, session.expiresAt - Date.now()),
    });
  }

  async decide(caller: AuthenticatedDevice, params: unknown, body: unknown, context: AuditContext): Promise<DecisionAnswer> {
    const session = await this.pendingSessionOf(caller, params);
    const decision = parseOrReject(decisionRequestSchema, body);
    // The decision settles the session and queues its callback: that goes on in the session's trace.
    const attributes = { ...sessionAttributes(session.sessionId, session.customerNumber), [SessionAttribute.DeviceId]: caller.device.id, [SessionAttribute.Decision]: decision.decision };
    annotateActiveSpan(attributes);
    return inSessionTrace(session.traceparent, 'decide session', attributes, () => this.settleDecision(caller, session, decision, context));
  }

  private async settleDecision(caller: AuthenticatedDevice, session: StoredSession, decision: DecisionRequest, context: AuditContext): Promise<DecisionAnswer> {
    if (decision.decision === 'decline') {
      await this.settleOrConflict(session, { state: SessionState.Declined, decidedByDeviceId: caller.device.id, declineReason: decision.reason ?? 'other' });
      this.recordDecision(caller, session, context, { decision: 'decline', reason: decision.reason ?? 'other' });
      return { result: AuthenticationResult.Fail };
    }
    const verified = await this.verifyApproval(caller, session, decision.credential as unknown as AuthenticationResponseJSON, context);
    await this.settleOrConflict(session, { state: SessionState.Approved, decidedByDeviceId: caller.device.id });
    await this.devices.update({ id: caller.device.id }, { signCount: verified.newCounter, lastUsedAt: new Date() });
    // How the approval was verified, for support: which passkey, on what kind of authenticator, with the user verified.
    this.recordDecision(caller, session, context, {
      decision: 'approve',
      method: 'passkey',
      userVerified: verified.userVerified,
      credentialDeviceType: verified.credentialDeviceType,
      credentialBackedUp: verified.credentialBackedUp,
      authenticatorAttachment: decision.credential.authenticatorAttachment ?? null,
      origin: verified.origin,
      signCount: verified.newCounter,
    });
    // Minted only once this device's approval has settled the session: a token never proves an approval that lost a race.
    const approvalToken = await this.approvalTokens.mint(session, caller.device.id, context);
    return { result: AuthenticationResult.Success, approvalToken };
  }

  /**
   * Verifies a WebAuthn assertion against this device's passkey, with user
   * verification, over the challenge derived from this session's transaction.
   * Returns what the verification established, with the authenticator's new signature counter.
   */
  private async verifyApproval(caller: AuthenticatedDevice, session: StoredSession, response: AuthenticationResponseJSON, context: AuditContext) {
    // A stolen device token alone cannot approve; this stops it from trying signatures without end.
    await this.rateLimits.assertDeviceNotLockedOut(caller.device.id);
    try {
      return await this.verifyAssertion(caller, session, response, context);
    } catch (error) {
      if (error instanceof AssentError && error.errorCode === 'ASSERTION_REJECTED') await this.rateLimits.recordFailedAssertion(caller, context);
      throw error;
    }
  }

  private async verifyAssertion(caller: AuthenticatedDevice, session: StoredSession, response: AuthenticationResponseJSON, context: AuditContext) {
    const reject = (reason: string): never => {
      this.audit.recordInBackground({
        type: AuditEventType.AssertionRejected,
        customerNumber: caller.customerNumber,
        sessionId: session.sessionId,
        deviceId: caller.device.id,
        ...context,
        details: { reason },
      });
      throw new AssentError(ErrorKind.Forbidden, 'ASSERTION_REJECTED', 'The approval could not be verified', reason);
    };
    if (response.id !== caller.device.credentialId) return reject('the credential is not this device’s passkey');
    const verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: transactionChallenge(linkedTransaction(session)),
      expectedOrigin: this.env.WEBAUTHN_ORIGINS,
      expectedRPID: this.env.WEBAUTHN_RP_ID,
      credential: {
        id: caller.device.credentialId,
        publicKey: new Uint8Array(caller.device.publicKey),
        counter: caller.device.signCount,
        transports: caller.device.transports as never,
      },
      requireUserVerification: true,
    }).catch((error: Error) => reject(error.message));
    if (!verification.verified) return reject('the signature does not verify');
    return verification.authenticationInfo;
  }

  /** The session named in the path, if it is this cardholder's. */
  private async sessionOf(caller: AuthenticatedDevice, params: unknown): Promise<StoredSession> {
    const { sessionId } = parseOrReject(sessionIdSchema, params, '$.path');
    const session = await this.sessions.get(sessionId.toLowerCase());
    if (!session || session.customerNumber !== caller.customerNumber) {
      throw new AssentError(ErrorKind.NotFound, 'SESSION_NOT_FOUND', 'No such authentication for this cardholder');
    }
    return session;
  }

  /** The session named in the path, if it is this cardholder's and still open. */
  private async pendingSessionOf(caller: AuthenticatedDevice, params: unknown): Promise<StoredSession> {
    const session = await this.sessionOf(caller, params);
    const state = currentState(session);
    if (state !== SessionState.Pending) throw alreadyDecided(state);
    return session;
  }

  private async settleOrConflict(session: StoredSession, settlement: Parameters<SessionStore['settle']>[1]): Promise<void> {
    const settled = await this.sessions.settle(session, settlement);
    if (settled.outcome === 'already') throw alreadyDecided(settled.state);
    if (settled.outcome === 'missing') throw new AssentError(ErrorKind.NotFound, 'SESSION_NOT_FOUND', 'No such authentication for this cardholder');
  }

  private recordDecision(caller: AuthenticatedDevice, session: StoredSession, context: AuditContext, details: Record<string, unknown>): void {
    this.audit.recordInBackground({
      type: AuditEventType.SessionDecided,
      customerNumber: caller.customerNumber,
      sessionId: session.sessionId,
      deviceId: caller.device.id,
      ...context,
      details,
    });
  }
}

function alreadyDecided(state: SessionState): AssentError {
  return new AssentError(ErrorKind.Conflict, 'SESSION_ALREADY_DECIDED', `This authentication has already ended (${state})`, state);
}

/** A pending session past its expiry is timed out already, even before the timeout job has run. */
function currentState(session: StoredSession): SessionState {
  return session.state === SessionState.Pending && session.expiresAt <= Date.now() ? SessionState.Timeout : session.state;
}

function linkedTransaction(session: StoredSession) {
  return {
    sessionId: session.sessionId,
    amount: session.transaction.amount,
    currency: session.transaction.currency,
    merchantName: session.merchant.name,
    nonce: session.nonce,
  };
}

function toPendingChallenge(session: StoredSession): PendingChallenge {
  return {
    sessionId: session.sessionId,
    merchant: session.merchant,
    amount: { amount: session.transaction.amount, currency: session.transaction.currency },
    cardNumber: session.transaction.cardNumber ?? null,
    expiresAt: new Date(session.expiresAt).toISOString(),
  };
}
