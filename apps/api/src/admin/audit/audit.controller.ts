import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { AdminGuard, CurrentAdmin, CurrentAdminContext } from '../auth/admin.guard';
import { AuditService } from './audit.service';

@Controller('api/v1/admin/audit-events')
@UseGuards(AdminGuard)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  list(@Query() query: unknown) {
    return this.audit.list(query);
  }

  @Get('export.csv')
  async export(@Query() query: unknown, @CurrentAdmin() admin: CurrentAdminContext, @Res() reply: FastifyReply): Promise<void> {
    const rows = await this.audit.export(query, admin.audit);
    const filename = `assent-audit-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`;
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(rows));
  }
}
