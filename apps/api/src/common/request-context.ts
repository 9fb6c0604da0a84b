import type { FastifyRequest } from 'fastify';

/** Where a request came from and its log id, for audit events. */
export function auditContext(request: FastifyRequest): { remoteAddress: string; requestId: string } {
  return { remoteAddress: request.ip, requestId: request.id };
}
