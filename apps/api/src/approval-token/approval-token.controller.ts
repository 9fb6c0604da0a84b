import { Body, Controller, Get, Header, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { IssuerApiGuard } from '../common/issuer-api.guard';
import { auditContext } from '../common/request-context';
import { ApprovalTokens, SessionApprovalToken } from './approval-tokens.service';
import { AuthenticateWithTokenResponse } from './authenticate-with-token.schemas';
import { TokenAuthenticationService } from './token-authentication.service';

/** Proof of authentication for the issuer's other systems, with the issuer credentials. */
@Controller('api/v1')
@UseGuards(IssuerApiGuard)
export class ApprovalTokenController {
  constructor(
    private readonly approvalTokens: ApprovalTokens,
    private readonly tokenAuthentication: TokenAuthenticationService,
  ) {}

  // The answer is a bearer token: no cache along the way may keep it.
  @Get('sessions/:sessionId/approval-token')
  @Header('Cache-Control', 'no-store')
  ofSession(@Param() params: unknown, @Req() request: FastifyRequest): Promise<SessionApprovalToken> {
    return this.approvalTokens.ofSession(params, auditContext(request));
  }

  // 200 for every answer the service could give, authenticationFailed included (Standard Payments).
  @Post('authenticate-with-token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  authenticate(@Body() body: unknown, @Req() request: FastifyRequest): Promise<AuthenticateWithTokenResponse> {
    return this.tokenAuthentication.authenticate(body, auditContext(request));
  }
}
