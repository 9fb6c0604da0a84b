import { Catch, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AssentError, ErrorKind } from '@assent/domain';
import { AuditEventType, AuditLog } from '@assent/persistence';
import { auditContext } from '../common/request-context';
import { ErrorResponse, ErrorResponseFilter } from '../common/error-response.filter';

/**
 * A refused webhook is a security event (a wrong password, a forged callback URL).
 * It is audited in the background: the answer to Enfuce never waits on Postgres.
 */
@Catch()
@Injectable()
export class WebhookRejectionFilter extends ErrorResponseFilter {
  constructor(private readonly audit: AuditLog) {
    super();
  }

  protected override onRejected(request: FastifyRequest, error: AssentError, body: ErrorResponse): void {
    if (error.kind === ErrorKind.Unavailable || error.kind === ErrorKind.Internal) return;
    const params = request.params as { customerNumber?: string; sessionId?: string };
    this.audit.recordInBackground({
      type: AuditEventType.WebhookRejected,
      customerNumber: params.customerNumber?.slice(0, 64) ?? null,
      sessionId: isUuid(params.sessionId) ? params.sessionId : null,
      ...auditContext(request),
      details: { status: Number(body.code), errorCode: body.errorCode, reason: body.errorReason },
    });
  }
}

function isUuid(value: string | undefined): value is string {
  return !!value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
