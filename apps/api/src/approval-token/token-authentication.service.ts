import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { Repository } from 'typeorm';
import { approvalRefusal, AssentError, ErrorKind, parseOrReject } from '@assent/domain';
import { AuditEntry, AuditEventType, AuditLog, TokenVerification } from '@assent/persistence';
import { AuditContext } from '../common/request-context';
import { ApprovalTokens } from './approval-tokens.service';
import { authenticateWithTokenRequestSchema, AuthenticateWithTokenResponse } from './authenticate-with-token.schemas';

type Outcome = 'success' | 'authenticationFailed';

/** Whom and what an audit event of this request is about. */
type AuditSubject = Omit<AuditEntry, 'type' | 'details'>;

interface IdempotencyKey {
  paymentIntegratorAccountId: string;
  requestId: string;
}

/**
 * `POST /api/v1/authenticate-with-token`: Google Standard Payments' authenticateWithToken
 * (seed 004) over our approval tokens. requestId + paymentIntegratorAccountId is the
 * idempotency key: the same request again gets the first answer, its timestamp included, even
 * once the token has expired or been revoked; another request under the key gets 412.
 *
 * The keys live in Postgres, not Redis: an answer must outlive a Redis restart (Redis
 * runs without persistence, which is why the device index is rebuilt at start), the
 * primary key lets the first of two racing requests win, and each row is part of the
 * record of who verified what. Only 200 answers are kept: an error answer must not be
 * replayed, since the retry may succeed once the cause is fixed.
 */
@Injectable()
export class TokenAuthenticationService {
  constructor(
    private readonly approvalTokens: ApprovalTokens,
    @InjectRepository(TokenVerification) private readonly verifications: Repository<TokenVerification>,
    private readonly audit: AuditLog,
  ) {}

  async authenticate(body: unknown, context: AuditContext): Promise<AuthenticateWithTokenResponse> {
    const request = parseOrReject(authenticateWithTokenRequestSchema, body);
    const key = {
      paymentIntegratorAccountId: request.requestHeader.paymentIntegratorAccountId,
      requestId: request.requestHeader.requestId,
    };
    // The parsed request, in the schema's field order: the same request spelled with
    // other whitespace, key order or unknown fields is still the same request.
    const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('base64url');
    const expected = request.existingToken.approvalToken;
    const found = await this.approvalTokens.find(expected.token);
    const audited: AuditSubject = {
      customerNumber: expected.customerNumber,
      sessionId: found?.row.sessionId ?? null,
      deviceId: found?.row.deviceId ?? null,
      ...context,
    };

    const earlier = await this.verifications.findOneBy(key);
    if (earlier) return this.replay(earlier, requestHash, key, audited);
    const refusal = approvalRefusal(found?.proof ?? null, expected, Date.now());
    const response = answer(refusal ? 'authenticationFailed' : 'success');
    const inserted = await this.verifications
      .createQueryBuilder()
      .insert()
      .values({ ...key, requestHash, response: response as never, approvalTokenId: found?.row.id ?? null })
      .orIgnore()
      .returning(['request_id'])
      .execute();
    if (inserted.raw.length === 0) {
      // Another request under this key was answered while this one was checked: its answer stands.
      return this.replay(await this.verifications.findOneByOrFail(key), requestHash, key, audited);
    }
    await this.audit.record({
      ...audited,
      type: AuditEventType.ApprovalTokenVerified,
      details: { idempotencyKey: key, result: outcomeOf(response), reason: refusal, replayed: false },
    });
    return response;
  }

  private async replay(
    earlier: TokenVerification,
    requestHash: string,
    key: IdempotencyKey,
    audited: AuditSubject,
  ): Promise<AuthenticateWithTokenResponse> {
    if (earlier.requestHash !== requestHash) {
      await this.audit.record({ ...audited, type: AuditEventType.ApprovalTokenRequestConflict, details: { idempotencyKey: key } });
      throw new AssentError(
        ErrorKind.PreconditionFailed,
        'IDEMPOTENCY_KEY_REUSED',
        'This requestId was already used with this paymentIntegratorAccountId for a different request',
        '$.requestHeader.requestId',
      );
    }
    const response = earlier.response as unknown as AuthenticateWithTokenResponse;
    // The reason is in the first answer's own event; a replay only says it repeated it.
    await this.audit.record({
      ...audited,
      type: AuditEventType.ApprovalTokenVerified,
      details: { idempotencyKey: key, result: outcomeOf(response), replayed: true },
    });
    return response;
  }
}

function answer(outcome: Outcome): AuthenticateWithTokenResponse {
  return {
    responseHeader: { responseTimestamp: { epochMillis: String(Date.now()) } },
    result: outcome === 'success' ? { success: {} } : { authenticationFailed: {} },
  };
}

function outcomeOf(response: AuthenticateWithTokenResponse): Outcome {
  return 'success' in response.result ? 'success' : 'authenticationFailed';
}
