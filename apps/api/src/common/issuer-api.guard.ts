import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ENVIRONMENT, Environment, issuerCredentials } from '@assent/config';
import { AssentError, BasicAuthVerifier, ErrorKind } from '@assent/domain';
import { AuditEventType, AuditLog } from '@assent/persistence';
import { auditContext } from './request-context';

/** The issuer's backend authenticates with its own Basic credentials (contract §3). */
@Injectable()
export class IssuerApiGuard implements CanActivate {
  private readonly credentials: BasicAuthVerifier;

  constructor(
    @Inject(ENVIRONMENT) env: Environment,
    private readonly audit: AuditLog,
  ) {
    this.credentials = new BasicAuthVerifier(issuerCredentials(env));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (this.credentials.matches(request.headers.authorization)) {
      return true;
    }
    this.audit.recordInBackground({ type: AuditEventType.IssuerAuthFailed, ...auditContext(request) });
    throw new AssentError(ErrorKind.Unauthenticated, 'INVALID_CREDENTIALS', 'Missing or wrong issuer API credentials');
  }
}
