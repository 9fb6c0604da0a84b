import { Body, Controller, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { AdminGuard, CurrentAdmin, CurrentAdminContext, RequireRole } from '../auth/admin.guard';
import { AdminUsersService } from './admin-users.service';

@Controller('api/v1/admin/users')
@UseGuards(AdminGuard)
@RequireRole('admin')
export class AdminUsersController {
  constructor(private readonly users: AdminUsersService) {}

  @Get()
  async list() {
    return { items: await this.users.list() };
  }

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown, @CurrentAdmin() admin: CurrentAdminContext) {
    return this.users.create(body, admin.audit);
  }

  @Patch(':userId')
  change(@Param() params: unknown, @Body() body: unknown, @CurrentAdmin() admin: CurrentAdminContext) {
    return this.users.change(params, body, admin.audit);
  }
}
