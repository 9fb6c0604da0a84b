import { Inject, Injectable } from '@nestjs/common';
import { ENVIRONMENT, Environment } from '@assent/config';
import { AssentError, ErrorKind, parseOrReject } from '@assent/domain';
import { institutionFromCallbackUrl, webhookBodySchema, webhookParamsSchema } from '@assent/enfuce';
import { SessionStore } from '@assent/sessions';
import { annotateActiveSpan, sessionAttributes } from '@assent/telemetry';

/**
 * Enfuce allows 2 s for the answer; this path touches nothing but Redis (at most
 * two round trips), so it answers in about a millisecond.
 */
@Injectable()
export class WebhookService {
  constructor(
    private readonly sessions: SessionStore,
    @Inject(ENVIRONMENT) private readonly env: Environment,
  ) {}

  async accept(rawParams: unknown, rawBody: unknown): Promise<{ sessionId: string; customerNumber: string; outcome: 'created' | 'duplicate' }> {
    const receivedAt = Date.now();
    const params = parseOrReject(webhookParamsSchema, rawParams, '$.path');
    const body = parseOrReject(webhookBodySchema, rawBody);
    const sessionId = params.sessionId.toLowerCase();
    annotateActiveSpan(sessionAttributes(sessionId, params.customerNumber));
    const institutionCode = institutionFromCallbackUrl(body.callbackUrl, this.env.ENFUCE_CALLBACK_BASE_URL, params);
    const { amount, ...transaction } = body.transaction;
    const outcome = await this.sessions.create(
      {
        sessionId,
        customerNumber: params.customerNumber,
        institutionCode,
        callbackUrl: body.callbackUrl,
        receivedAt,
        transaction: { ...transaction, amount: amount.amount, currency: amount.currency },
        merchant: body.merchant,
      },
      SessionStore.fingerprint({ customerNumber: params.customerNumber, body }),
    );
    switch (outcome) {
      case 'created':
      case 'duplicate':
        return { sessionId, customerNumber: params.customerNumber, outcome };
      case 'conflict':
        throw new AssentError(ErrorKind.Conflict, 'SESSION_CONFLICT', `Session ${sessionId} exists with different content`);
      case 'no_device':
        throw new AssentError(ErrorKind.NotFound, 'NO_ACTIVE_DEVICE', 'Unknown customerNumber or no active device');
    }
  }
}
