import { Module } from '@nestjs/common';
import { SessionsModule } from '@assent/sessions';
import { DeviceModule } from '../device/device.module';
import { EnrollmentModule } from '../enrollment/enrollment.module';
import { AuditController } from './audit/audit.controller';
import { AuditService } from './audit/audit.service';
import { AdminAuthController } from './auth/admin-auth.controller';
import { AdminAuthService } from './auth/admin-auth.service';
import { AdminSessionStore } from './auth/admin-session.store';
import { AdminGuard } from './auth/admin.guard';
import { AuthenticationsController } from './authentications/authentications.controller';
import { AuthenticationsService } from './authentications/authentications.service';
import { CardholdersController } from './cardholders/cardholders.controller';
import { CardholdersService } from './cardholders/cardholders.service';
import { LiveController } from './live/live.controller';
import { LiveSessionFeed } from './live/live-session-feed';
import { OverviewController } from './overview/overview.controller';
import { OverviewService } from './overview/overview.service';
import { AdminUsersController } from './users/admin-users.controller';
import { AdminUsersService } from './users/admin-users.service';

/** The operations dashboard's API, under /api/v1/admin; its pages are served by mountAdminUi. */
@Module({
  imports: [SessionsModule, DeviceModule, EnrollmentModule],
  controllers: [
    AdminAuthController,
    AdminUsersController,
    OverviewController,
    AuthenticationsController,
    LiveController,
    CardholdersController,
    AuditController,
  ],
  providers: [
    AdminSessionStore,
    AdminAuthService,
    AdminGuard,
    AdminUsersService,
    OverviewService,
    AuthenticationsService,
    LiveSessionFeed,
    CardholdersService,
    AuditService,
  ],
})
export class AdminModule {}
