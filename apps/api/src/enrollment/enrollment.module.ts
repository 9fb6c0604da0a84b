import { Module } from '@nestjs/common';
import { IssuerApiGuard } from '../common/issuer-api.guard';
import { EnrollmentController } from './enrollment.controller';
import { EnrollmentService } from './enrollment.service';

@Module({
  controllers: [EnrollmentController],
  providers: [EnrollmentService, IssuerApiGuard],
  exports: [EnrollmentService],
})
export class EnrollmentModule {}
