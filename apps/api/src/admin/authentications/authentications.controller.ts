import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { AdminGuard } from '../auth/admin.guard';
import { AuthenticationsService } from './authentications.service';

@Controller('api/v1/admin/sessions')
@UseGuards(AdminGuard)
export class AuthenticationsController {
  constructor(private readonly authentications: AuthenticationsService) {}

  @Get()
  list(@Query() query: unknown) {
    return this.authentications.list(query);
  }

  @Get(':sessionId')
  timeline(@Param() params: unknown) {
    return this.authentications.timeline(params);
  }
}
