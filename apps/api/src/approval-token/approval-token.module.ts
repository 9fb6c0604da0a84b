import { Module } from '@nestjs/common';
import { IssuerApiGuard } from '../common/issuer-api.guard';
import { ApprovalTokenController } from './approval-token.controller';
import { ApprovalTokens } from './approval-tokens.service';
import { TokenAuthenticationService } from './token-authentication.service';

@Module({
  controllers: [ApprovalTokenController],
  providers: [ApprovalTokens, TokenAuthenticationService, IssuerApiGuard],
  // The device API mints a token when a cardholder approves.
  exports: [ApprovalTokens],
})
export class ApprovalTokenModule {}
