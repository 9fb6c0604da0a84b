import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ENVIRONMENT, Environment } from '@assent/config';
import { AssentError, bearerTokenMatches, ErrorKind } from '@assent/domain';
import { METRICS_CONTENT_TYPE, renderMetrics } from '@assent/metrics';

/**
 * Prometheus's scrape. It shares the public port, so it needs METRICS_TOKEN as a
 * bearer token, and does not exist at all until one is configured.
 */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(ENVIRONMENT) private readonly env: Environment) {}

  @Get()
  async metrics(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    if (!this.env.METRICS_TOKEN) throw new AssentError(ErrorKind.NotFound, 'ROUTE_NOT_FOUND', 'No such endpoint');
    if (!bearerTokenMatches(authorization, this.env.METRICS_TOKEN)) {
      throw new AssentError(ErrorKind.Unauthenticated, 'INVALID_CREDENTIALS', 'Missing or wrong metrics token');
    }
    await reply.header('content-type', METRICS_CONTENT_TYPE).header('cache-control', 'no-store').send(await renderMetrics());
  }
}
