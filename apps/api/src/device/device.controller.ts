import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Post, Put, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ENVIRONMENT, Environment } from '@assent/config';
import { auditContext } from '../common/request-context';
import { ChallengeService } from './challenge.service';
import { AuthenticatedDevice, CurrentDevice, DeviceAuthGuard } from './device-auth.guard';
import { DeviceRegistrationService } from './device-registration.service';
import { DeviceService } from './device.service';
import { RateLimit, RateLimited, RateLimitGuard } from '../common/rate-limits';

/** The server's VAPID public key, for pushManager.subscribe({ applicationServerKey }). */
@Controller('api/v1/push')
export class PushKeyController {
  constructor(@Inject(ENVIRONMENT) private readonly env: Environment) {}

  @Get('vapid-public-key')
  publicKey(): { publicKey: string } {
    return { publicKey: this.env.VAPID_PUBLIC_KEY };
  }
}

/** Enrollment of a new device with an activation code (contract §4). */
@Controller('api/v1/devices')
@UseGuards(RateLimitGuard)
export class DeviceRegistrationController {
  constructor(private readonly registrations: DeviceRegistrationService) {}

  @Post('registration-options')
  @HttpCode(200)
  @RateLimited(RateLimit.Registration)
  options(@Body() body: unknown, @Req() request: FastifyRequest) {
    return this.registrations.registrationOptions(body, auditContext(request));
  }

  @Post()
  @HttpCode(201)
  @RateLimited(RateLimit.Registration)
  register(@Body() body: unknown, @Req() request: FastifyRequest) {
    return this.registrations.register(body, auditContext(request));
  }
}

/** What an enrolled device does, authenticated by its bearer token (contract §4). */
@Controller('api/v1/device')
@UseGuards(DeviceAuthGuard)
export class DeviceController {
  constructor(
    private readonly devices: DeviceService,
    private readonly challenges: ChallengeService,
  ) {}

  @Get()
  status(@CurrentDevice() caller: AuthenticatedDevice) {
    return this.devices.status(caller);
  }

  @Delete()
  @HttpCode(204)
  remove(@CurrentDevice() caller: AuthenticatedDevice, @Req() request: FastifyRequest) {
    return this.devices.remove(caller, auditContext(request));
  }

  @Put('push-subscription')
  @HttpCode(204)
  updatePushSubscription(@CurrentDevice() caller: AuthenticatedDevice, @Body() body: unknown, @Req() request: FastifyRequest) {
    return this.devices.updatePushSubscription(caller, body, auditContext(request));
  }

  @Get('challenges')
  pending(@CurrentDevice() caller: AuthenticatedDevice) {
    return this.challenges.pending(caller);
  }

  @Get('challenges/:sessionId')
  challenge(@CurrentDevice() caller: AuthenticatedDevice, @Param() params: unknown) {
    return this.challenges.challenge(caller, params);
  }

  @Post('challenges/:sessionId/assertion-options')
  @HttpCode(200)
  assertionOptions(@CurrentDevice() caller: AuthenticatedDevice, @Param() params: unknown) {
    return this.challenges.assertionOptions(caller, params);
  }

  // An approval's answer carries its approval token, a bearer secret.
  @Post('challenges/:sessionId/decision')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @UseGuards(RateLimitGuard)
  @RateLimited(RateLimit.Decision)
  decide(@CurrentDevice() caller: AuthenticatedDevice, @Param() params: unknown, @Body() body: unknown, @Req() request: FastifyRequest) {
    return this.challenges.decide(caller, params, body, auditContext(request));
  }
}
