import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { IssuerApiGuard } from '../common/issuer-api.guard';
import { RateLimit, RateLimited, RateLimitGuard } from '../common/rate-limits';
import { auditContext } from '../common/request-context';
import { CreatedEnrollment, EnrollmentService } from './enrollment.service';

/** The issuer's backend asks for an activation link for one of its cardholders (contract §3). */
@Controller('api/v1/enrollments')
@UseGuards(IssuerApiGuard, RateLimitGuard)
export class EnrollmentController {
  constructor(private readonly enrollments: EnrollmentService) {}

  @Post()
  @HttpCode(201)
  @RateLimited(RateLimit.Enrollment)
  create(@Body() body: unknown, @Req() request: FastifyRequest): Promise<CreatedEnrollment> {
    return this.enrollments.create(body, auditContext(request));
  }
}
