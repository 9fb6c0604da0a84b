import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { AdminGuard } from '../auth/admin.guard';
import { OverviewService } from './overview.service';

@Controller('api/v1/admin/overview')
@UseGuards(AdminGuard)
export class OverviewController {
  constructor(private readonly overview: OverviewService) {}

  @Get()
  get(@Query() query: unknown) {
    return this.overview.overview(query);
  }
}
