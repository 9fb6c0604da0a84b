import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { AdminGuard, CurrentAdmin, CurrentAdminContext, RequireRole } from '../auth/admin.guard';
import { CardholdersService } from './cardholders.service';

@Controller('api/v1/admin')
@UseGuards(AdminGuard)
export class CardholdersController {
  constructor(private readonly cardholders: CardholdersService) {}

  @Get('cardholders')
  search(@Query() query: unknown) {
    return this.cardholders.search(query);
  }

  @Get('cardholders/:customerNumber')
  detail(@Param() params: unknown) {
    return this.cardholders.detail(params);
  }

  @Post('cardholders/:customerNumber/enrollments')
  @HttpCode(201)
  @RequireRole('operator')
  createEnrollment(@Param() params: unknown, @Body() body: unknown, @CurrentAdmin() admin: CurrentAdminContext) {
    return this.cardholders.createEnrollment(params, body, admin.audit);
  }

  @Post('devices/:deviceId/revoke')
  @HttpCode(200)
  @RequireRole('operator')
  revoke(@Param() params: unknown, @CurrentAdmin() admin: CurrentAdminContext) {
    return this.cardholders.revokeDevice(params, admin.audit);
  }
}
