import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { ENVIRONMENT, Environment } from '@assent/config';
import { AssentError, ErrorKind } from '@assent/domain';
import { AuditEventType, AuditLog } from '@assent/persistence';
import { REDIS, RedisConnection } from '@assent/queue';
import { RedisKeys } from '@assent/sessions';
import type { AuthenticatedDevice } from '../device/device-auth.guard';
import { AuditContext } from './request-context';

export enum RateLimit {
  /** Per customer number: an issuer backend gone wrong, or someone with its credentials. */
  Enrollment = 'enrollment',
  /** Per client IP: guessing activation codes. */
  Registration = 'registration',
  /** Per device: a stolen token hammering the decision endpoint. */
  Decision = 'decision',
  /** Per client IP, beside the per-account lockout: spraying passwords over many accounts. */
  AdminSignIn = 'admin-sign-in',
}

const MINUTE = 60;

/**
 * Counters in Redis, so every API process enforces the same limits. When Redis is
 * down the limiter's error propagates and the request is answered 503, as every
 * other Redis-backed call is: nothing is let through uncounted.
 */
@Injectable()
export class RateLimits {
  private readonly limiters: Record<RateLimit, RateLimiterRedis>;
  private readonly failedAssertions: RateLimiterRedis;

  constructor(
    @Inject(REDIS) redis: RedisConnection,
    @Inject(ENVIRONMENT) private readonly env: Environment,
    private readonly audit: AuditLog,
  ) {
    const keys = new RedisKeys(env.REDIS_KEY_PREFIX);
    const limiter = (name: string, points: number, duration = MINUTE, blockDuration = 0) =>
      new RateLimiterRedis({ storeClient: redis, keyPrefix: keys.rateLimit(name), points, duration, blockDuration });
    this.limiters = {
      [RateLimit.Enrollment]: limiter(RateLimit.Enrollment, env.RATE_LIMIT_ENROLLMENTS_PER_MINUTE),
      [RateLimit.Registration]: limiter(RateLimit.Registration, env.RATE_LIMIT_REGISTRATIONS_PER_MINUTE),
      [RateLimit.Decision]: limiter(RateLimit.Decision, env.RATE_LIMIT_DECISIONS_PER_MINUTE),
      [RateLimit.AdminSignIn]: limiter(RateLimit.AdminSignIn, env.RATE_LIMIT_ADMIN_SIGN_INS_PER_MINUTE),
    };
    const lockout = env.DEVICE_LOCKOUT_MINUTES * MINUTE;
    this.failedAssertions = limiter('failed-assertions', env.DEVICE_LOCKOUT_THRESHOLD, lockout, lockout);
  }

  async consume(limit: RateLimit, key: string): Promise<void> {
    try {
      await this.limiters[limit].consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw tooMany('RATE_LIMITED', 'Too many requests; try again later', rejection);
      throw rejection;
    }
  }

  /** Refuses approvals from a device that failed verification too often lately. */
  async assertDeviceNotLockedOut(deviceId: string): Promise<void> {
    const state = await this.failedAssertions.get(deviceId);
    if (state && state.consumedPoints >= this.env.DEVICE_LOCKOUT_THRESHOLD) {
      throw tooMany('DEVICE_LOCKED_OUT', 'Too many approvals failed verification on this device; try again later', state);
    }
  }

  /** Counts a rejected assertion; the one that reaches the threshold locks the device and is audited. */
  async recordFailedAssertion(caller: AuthenticatedDevice, context: AuditContext): Promise<void> {
    const state = await this.failedAssertions.penalty(caller.device.id);
    if (state.consumedPoints === this.env.DEVICE_LOCKOUT_THRESHOLD) {
      await this.failedAssertions.block(caller.device.id, this.env.DEVICE_LOCKOUT_MINUTES * MINUTE);
      this.audit.recordInBackground({
        type: AuditEventType.DeviceLockedOut,
        customerNumber: caller.customerNumber,
        deviceId: caller.device.id,
        ...context,
        details: { failedAssertions: state.consumedPoints, minutes: this.env.DEVICE_LOCKOUT_MINUTES },
      });
    }
  }
}

function tooMany(errorCode: string, message: string, state: RateLimiterRes): AssentError {
  return new AssentError(ErrorKind.TooManyRequests, errorCode, message, undefined, Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
}

const RATE_LIMIT_KEY = 'assent:rate-limit';

/** Marks a route as limited; RateLimitGuard counts it. */
export const RateLimited = (limit: RateLimit) => SetMetadata(RATE_LIMIT_KEY, limit);

/** Counts a request against its route's limit, keyed by what the limit is about. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const limit = this.reflector.get<RateLimit | undefined>(RATE_LIMIT_KEY, context.getHandler());
    if (!limit) return true;
    await this.limits.consume(limit, keyOf(limit, context.switchToHttp().getRequest<FastifyRequest>()));
    return true;
  }
}

function keyOf(limit: RateLimit, request: FastifyRequest): string {
  switch (limit) {
    case RateLimit.Decision:
      return (request as FastifyRequest & { authenticatedDevice: AuthenticatedDevice }).authenticatedDevice.device.id;
    case RateLimit.Enrollment: {
      const customerNumber = (request.body as { customerNumber?: unknown } | null)?.customerNumber;
      return typeof customerNumber === 'string' ? customerNumber.slice(0, 64) : `ip:${request.ip}`;
    }
    case RateLimit.Registration:
    case RateLimit.AdminSignIn:
      return request.ip;
  }
}
