import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ENVIRONMENT, Environment } from '@assent/config';
import { RateLimit, RateLimited, RateLimitGuard } from '../../common/rate-limits';
import { auditContext } from '../../common/request-context';
import { AdminIdentity } from '../admin-api.types';
import { AdminAuthService, identityOf } from './admin-auth.service';
import { AdminSessionStore } from './admin-session.store';
import { AdminGuard, assertSameOrigin, CurrentAdmin, CurrentAdminContext } from './admin.guard';
import { clearSessionCookie, setSessionCookie } from './session-cookie';

@Controller('api/v1/admin')
export class AdminAuthController {
  constructor(
    private readonly auth: AdminAuthService,
    private readonly sessions: AdminSessionStore,
    @Inject(ENVIRONMENT) private readonly env: Environment,
  ) {}

  @Post('sign-in')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @RateLimited(RateLimit.AdminSignIn)
  async signIn(@Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<AdminIdentity> {
    // No session yet, so no CSRF token: the origin check keeps other sites from signing a browser in.
    assertSameOrigin(request, this.env.PUBLIC_BASE_URL);
    const { token, identity } = await this.auth.signIn(body, auditContext(request));
    setSessionCookie(reply, token, { maxAgeSeconds: this.sessions.maxAgeSeconds(), secure: this.secure() });
    void reply.header('cache-control', 'no-store');
    return identity;
  }

  @Post('sign-out')
  @HttpCode(204)
  @UseGuards(AdminGuard)
  async signOut(@CurrentAdmin() admin: CurrentAdminContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.signOut(admin.token, admin, admin.audit);
    clearSessionCookie(reply, this.secure());
  }

  /** Who is signed in, and the CSRF token the dashboard sends with every change. */
  @Get('me')
  @UseGuards(AdminGuard)
  me(@CurrentAdmin() admin: CurrentAdminContext, @Res({ passthrough: true }) reply: FastifyReply): AdminIdentity {
    void reply.header('cache-control', 'no-store');
    return identityOf(admin.user, admin.session);
  }

  private secure(): boolean {
    return new URL(this.env.PUBLIC_BASE_URL).protocol === 'https:';
  }
}
