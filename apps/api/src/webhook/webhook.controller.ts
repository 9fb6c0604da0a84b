import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { EnfuceWebhookGuard } from './enfuce-webhook.guard';
import { WebhookService } from './webhook.service';

/** Enfuce ID's out-of-band webhook (contract §1): validate, store, queue, acknowledge. */
@Controller('v1/authenticate')
@UseGuards(EnfuceWebhookGuard)
export class WebhookController {
  constructor(private readonly webhooks: WebhookService) {}

  @Post(':customerNumber/:sessionId')
  @HttpCode(200)
  async authenticate(@Param() params: unknown, @Body() body: unknown): Promise<void> {
    await this.webhooks.accept(params, body);
  }
}
