import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ENVIRONMENT, Environment, issuerCredentials } from '@assent/config';
import { AssentError, basicAuthMatchesAny, ErrorKind } from '@assent/domain';
import { AuditEventType, AuditLog } from '@assent/persistence';
import { auditContext } from './request-context';

/** The issuer's backend authenticates with its own Basic credentials (contract §3). */
@Injectable()
export class IssuerApiGuard implements CanActivate {
  constructor(
    @Inject(ENVIRONMENT) private readonly env: Environment,
    private readonly audit: AuditLog,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (basicAuthMatchesAny(request.headers.authorization, issuerCredentials(this.env))) {
      return true;
    }
    this.audit.recordInBackground({ type: AuditEventType.IssuerAuthFailed, ...auditContext(request) });
    throw new AssentError(ErrorKind.Unauthenticated, 'INVALID_CREDENTIALS', 'Missing or wrong issuer API credentials');
  }
}
