import { Body, Controller, HttpCode, Logger, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { EnfuceWebhookGuard } from './enfuce-webhook.guard';
import { WebhookService } from './webhook.service';

/** Enfuce ID's out-of-band webhook (contract §1): validate, store, queue, acknowledge. */
@Controller('v1/authenticate')
@UseGuards(EnfuceWebhookGuard)
export class WebhookController {
  private readonly logger = new Logger(WebhookController.name);

  constructor(private readonly webhooks: WebhookService) {}

  @Post(':customerNumber/:sessionId')
  @HttpCode(200)
  async authenticate(@Param() params: unknown, @Body() body: unknown, @Req() request: FastifyRequest): Promise<void> {
    const accepted = await this.webhooks.accept(params, body);
    // The request's one log line: this route skips the per-request HTTP logger (see ApiModule);
    // a refused webhook is logged, with its error id, by the error filter instead.
    this.logger.log({ msg: 'Webhook accepted', requestId: request.id, ...accepted });
  }
}
