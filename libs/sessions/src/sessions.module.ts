import { Module } from '@nestjs/common';
import { DeviceIndex } from './device-index';
import { SessionStore } from './session-store';

/** Needs QueueModule (the shared Redis connection and the queues) in the importing app. */
@Module({
  providers: [SessionStore, DeviceIndex],
  exports: [SessionStore, DeviceIndex],
})
export class SessionsModule {}
