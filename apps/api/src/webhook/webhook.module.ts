import { Module } from '@nestjs/common';
import { SessionsModule } from '@assent/sessions';
import { WebhookController } from './webhook.controller';
import { EnfuceWebhookGuard } from './enfuce-webhook.guard';
import { WebhookService } from './webhook.service';

@Module({
  imports: [SessionsModule],
  controllers: [WebhookController],
  providers: [WebhookService, EnfuceWebhookGuard],
})
export class WebhookModule {}
