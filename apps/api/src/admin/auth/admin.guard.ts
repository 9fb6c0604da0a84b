import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ENVIRONMENT, Environment } from '@assent/config';
import { AssentError, ErrorKind } from '@assent/domain';
import { AdminRole, AuditEventType, AuditLog } from '@assent/persistence';
import { auditContext, AuditContext } from '../../common/request-context';
import { AdminAuthService, SignedInAdmin } from './admin-auth.service';
import { sessionTokenOf } from './session-cookie';

const RANK: Record<AdminRole, number> = { viewer: 1, operator: 2, admin: 3 };
const REQUIRED_ROLE = 'assent:admin-role';

/** The least role an endpoint needs; without it, any signed-in user (viewer) may call it. */
export const RequireRole = (role: AdminRole) => SetMetadata(REQUIRED_ROLE, role);

export type AdminRequest = FastifyRequest & { admin?: SignedInAdmin & { token: string } };

/**
 * Every dashboard API call: signed in (401 otherwise), and for a change also from
 * our own origin and carrying the session's CSRF token (403 otherwise), and with a
 * role at least the endpoint's (403 otherwise, audited).
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AdminAuthService,
    private readonly audit: AuditLog,
    @Inject(ENVIRONMENT) private readonly env: Environment,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const changes = isChange(request);
    if (changes) assertSameOrigin(request, this.env.PUBLIC_BASE_URL);
    const token = sessionTokenOf(request);
    const admin = await this.auth.authenticate(token);
    if (!admin || !token) throw new AssentError(ErrorKind.Unauthenticated, 'NOT_SIGNED_IN', 'Sign in to the dashboard first');
    if (changes && !sameSecret(request.headers['x-csrf-token'], admin.session.csrfToken)) {
      this.deny(request, admin, 'missing or wrong CSRF token');
      throw new AssentError(ErrorKind.Forbidden, 'CSRF_TOKEN_INVALID', 'Missing or wrong X-CSRF-Token; reload the dashboard');
    }
    const required = this.reflector.getAllAndOverride<AdminRole | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]) ?? 'viewer';
    if (RANK[admin.user.role] < RANK[required]) {
      this.deny(request, admin, `needs the ${required} role`);
      throw new AssentError(ErrorKind.Forbidden, 'ROLE_REQUIRED', `This needs the ${required} role; you are ${admin.user.role}`);
    }
    request.admin = { ...admin, token };
    return true;
  }

  private deny(request: FastifyRequest, admin: SignedInAdmin, reason: string): void {
    this.audit.recordInBackground({
      type: AuditEventType.AdminAccessDenied,
      ...auditContext(request),
      actor: admin.user.email,
      details: { reason, method: request.method, path: request.url.split('?')[0] },
    });
  }
}

/** The signed-in admin, with the audit context of the request. */
export interface CurrentAdminContext extends SignedInAdmin {
  token: string;
  audit: Required<AuditContext>;
}

export const CurrentAdmin = createParamDecorator((_data: unknown, context: ExecutionContext): CurrentAdminContext => {
  const request = context.switchToHttp().getRequest<AdminRequest>();
  if (!request.admin) throw new Error('CurrentAdmin used without AdminGuard');
  return { ...request.admin, audit: { ...auditContext(request), actor: request.admin.user.email } };
});

function isChange(request: FastifyRequest): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
}

/**
 * A browser names the page a request comes from; a change must come from the
 * dashboard's own origin. Clients that are not browsers send no Origin, and are no
 * CSRF risk.
 */
export function assertSameOrigin(request: FastifyRequest, publicBaseUrl: string): void {
  const origin = request.headers.origin ?? refererOrigin(request.headers.referer);
  if (origin !== undefined && origin !== new URL(publicBaseUrl).origin) {
    throw new AssentError(ErrorKind.Forbidden, 'CROSS_ORIGIN_REQUEST', 'Changes are accepted only from the dashboard itself');
  }
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'invalid';
  }
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
