import type { FastifyRequest } from 'fastify';

/** Who and where an audited action came from. */
export interface AuditContext {
  remoteAddress: string;
  requestId: string;
  /** The admin user's email, when an admin did it from the dashboard. */
  actor?: string;
}

/** Where a request came from and its log id, for audit events. */
export function auditContext(request: FastifyRequest): AuditContext {
  return { remoteAddress: request.ip, requestId: request.id };
}
