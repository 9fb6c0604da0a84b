import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ENVIRONMENT, Environment, webhookCredentials } from '@assent/config';
import { AssentError, BasicAuthVerifier, ErrorKind } from '@assent/domain';

/** Enfuce ID authenticates its webhook with Basic auth (RFC 7617, seed 000). */
@Injectable()
export class EnfuceWebhookGuard implements CanActivate {
  private readonly credentials: BasicAuthVerifier;

  constructor(@Inject(ENVIRONMENT) env: Environment) {
    this.credentials = new BasicAuthVerifier(webhookCredentials(env));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (this.credentials.matches(request.headers.authorization)) {
      return true;
    }
    throw new AssentError(ErrorKind.Unauthenticated, 'INVALID_CREDENTIALS', 'Missing or wrong webhook credentials');
  }
}
