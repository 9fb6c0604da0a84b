import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ENVIRONMENT, Environment, webhookCredentials } from '@assent/config';
import { AssentError, basicAuthMatchesAny, ErrorKind } from '@assent/domain';

/** Enfuce ID authenticates its webhook with Basic auth (RFC 7617, seed 000). */
@Injectable()
export class EnfuceWebhookGuard implements CanActivate {
  constructor(@Inject(ENVIRONMENT) private readonly env: Environment) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (basicAuthMatchesAny(request.headers.authorization, webhookCredentials(this.env))) {
      return true;
    }
    throw new AssentError(ErrorKind.Unauthenticated, 'INVALID_CREDENTIALS', 'Missing or wrong webhook credentials');
  }
}
