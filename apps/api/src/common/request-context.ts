import type { FastifyRequest } from 'fastify';

/** Where a request came from and its log id, for audit events. */
export interface AuditContext {
  remoteAddress: string;
  requestId: string;
}

export function auditContext(request: FastifyRequest): AuditContext {
  return { remoteAddress: request.ip, requestId: request.id };
}
