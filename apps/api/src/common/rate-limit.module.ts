import { Global, Module } from '@nestjs/common';
import { RateLimitGuard, RateLimits } from './rate-limits';

@Global()
@Module({ providers: [RateLimits, RateLimitGuard], exports: [RateLimits, RateLimitGuard] })
export class RateLimitModule {}
