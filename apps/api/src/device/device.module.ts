import { Module } from '@nestjs/common';
import { SessionsModule } from '@assent/sessions';
import { ApprovalTokenModule } from '../approval-token/approval-token.module';
import { ChallengeService } from './challenge.service';
import { DeviceAuthGuard } from './device-auth.guard';
import { DeviceController, DeviceRegistrationController, PushKeyController } from './device.controller';
import { DeviceIndexRebuilder } from './device-index.rebuilder';
import { DeviceRegistrationService } from './device-registration.service';
import { DeviceRevocation } from './device-revocation.service';
import { DeviceService } from './device.service';

@Module({
  imports: [SessionsModule, ApprovalTokenModule],
  controllers: [PushKeyController, DeviceRegistrationController, DeviceController],
  providers: [ChallengeService, DeviceService, DeviceRegistrationService, DeviceRevocation, DeviceAuthGuard, DeviceIndexRebuilder],
  exports: [DeviceRevocation],
})
export class DeviceModule {}
