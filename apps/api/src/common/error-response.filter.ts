import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { AssentError, ErrorKind, ErrorResponse, errorResponseOf } from '@assent/domain';
import { AuditEventType, AuditLog, isPostgresUnreachable } from '@assent/persistence';
import { auditContext } from './request-context';

/**
 * Turns anything thrown while handling a request into an errorResponse. Known
 * errors keep their status; Fastify's own (body too large, broken JSON) are
 * translated; everything else is a 500 whose id is in the log with the cause.
 */
@Catch()
@Injectable()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly audit: AuditLog) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = toAssentError(exception);
    const body = this.respond(request, reply, error);
    this.auditWebhookRejection(request, error, body);
    if (error.kind === ErrorKind.Internal) {
      this.logger.error({ msg: 'Unexpected error', err: exception, errorId: body.id, url: request.url });
    } else {
      this.logger.warn({ msg: body.message, errorId: body.id, errorCode: body.errorCode, url: request.url });
    }
  }

  private respond(request: FastifyRequest, reply: FastifyReply, error: AssentError): ErrorResponse {
    const { status, body } = errorResponseOf(error, requestIdOf(request));
    if (error.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.retryAfterSeconds));
    if (status === HttpStatus.UNAUTHORIZED) {
      reply.header('WWW-Authenticate', challengeFor(request.url));
    }
    void reply.status(status).header('cache-control', 'no-store').send(body);
    return body;
  }

  /**
   * A refused Enfuce webhook is a security event (a wrong password, a forged
   * callback URL), whether Fastify refused it (too large, not JSON) or the service
   * did. It is audited in the background: the answer never waits on Postgres.
   */
  private auditWebhookRejection(request: FastifyRequest, error: AssentError, body: ErrorResponse): void {
    const webhook = WEBHOOK_PATH.exec(request.url);
    if (!webhook || error.kind === ErrorKind.Unavailable || error.kind === ErrorKind.Internal) return;
    const [, customerNumber, sessionId] = webhook;
    this.audit.recordInBackground({
      type: AuditEventType.WebhookRejected,
      customerNumber: customerNumber.slice(0, 64),
      sessionId: UUID.test(sessionId) ? sessionId : null,
      ...auditContext(request),
      details: { status: Number(body.code), errorCode: body.errorCode, reason: body.errorReason },
    });
  }
}

/**
 * Devices use bearer tokens and the dashboard a session cookie; a Basic challenge
 * there would make the browser pop up its own password dialog over the dashboard.
 */
function challengeFor(url: string): string {
  if (url.startsWith('/api/v1/device') || url.startsWith('/metrics')) return 'Bearer';
  if (url.startsWith('/api/v1/admin') || url.startsWith('/admin')) return 'Session realm="assent-dashboard"';
  return 'Basic realm="assent", charset="UTF-8"';
}

const WEBHOOK_PATH = /^\/v1\/authenticate\/([^/?]+)\/([^/?]+)/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The request's log id (a fresh UUID per request, see main.ts), so the answer and the log line meet. */
function requestIdOf(request: FastifyRequest): string {
  return typeof request.id === 'string' && request.id ? request.id : randomUUID();
}

function toAssentError(exception: unknown): AssentError {
  if (exception instanceof AssentError) return exception;
  const fastifyCode = (exception as { code?: string } | null)?.code;
  switch (fastifyCode) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AssentError(ErrorKind.PayloadTooLarge, 'BODY_TOO_LARGE', 'The request body is over 64 KiB');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return AssentError.validation('$', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return AssentError.validation('$', 'The request body must be application/json');
  }
  if (exception instanceof SyntaxError) return AssentError.validation('$', 'The request body is not valid JSON');
  if (isRedisUnavailable(exception) || isPostgresUnreachable(exception)) {
    return new AssentError(ErrorKind.Unavailable, 'STORE_UNAVAILABLE', 'The service is temporarily unavailable, try again');
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === HttpStatus.NOT_FOUND) return new AssentError(ErrorKind.NotFound, 'ROUTE_NOT_FOUND', 'No such endpoint');
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) return new AssentError(ErrorKind.PayloadTooLarge, 'BODY_TOO_LARGE', 'The request body is over 64 KiB');
    if (status < 500) return AssentError.validation('$', exception.message);
  }
  return new AssentError(ErrorKind.Internal, 'INTERNAL_ERROR', 'An unexpected error occurred; quote the id when reporting it');
}

// ioredis fails fast while disconnected (enableOfflineQueue: false) and times out a
// hung command (commandTimeout); both mean "Redis is unavailable", answered with 503.
// So do a Cluster failing a primary over (CLUSTERDOWN, retries used up) and a
// demoted primary still reached before ioredis reconnects (READONLY).
function isRedisUnavailable(exception: unknown): boolean {
  if (!(exception instanceof Error)) return false;
  return (
    /enableOfflineQueue|Connection is closed|Command timed out|ECONNREFUSED|ECONNRESET|Stream isn't writeable|CLUSTERDOWN|TRYAGAIN|Too many Cluster redirections|Failed to refresh slots cache|^READONLY/i.test(exception.message) ||
    exception.name === 'MaxRetriesPerRequestError'
  );
}
