import { Module } from '@nestjs/common';
import { SessionsModule } from '@assent/sessions';
import { WebhookController } from './webhook.controller';
import { WebhookRejectionFilter } from './webhook-rejection.filter';
import { EnfuceWebhookGuard } from './enfuce-webhook.guard';
import { WebhookService } from './webhook.service';

@Module({
  imports: [SessionsModule],
  controllers: [WebhookController],
  providers: [WebhookService, WebhookRejectionFilter, EnfuceWebhookGuard],
})
export class WebhookModule {}
