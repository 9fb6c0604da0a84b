import { Controller, MessageEvent, Sse, UseGuards } from '@nestjs/common';
import { Observable } from 'rxjs';
import { AdminGuard } from '../auth/admin.guard';
import { LiveSessionFeed } from './live-session-feed';

@Controller('api/v1/admin/live')
@UseGuards(AdminGuard)
export class LiveController {
  constructor(private readonly feed: LiveSessionFeed) {}

  /** Server-Sent Events: `session` for each change (a SessionEvent), `resync` when some may have been missed. */
  @Sse()
  stream(): Observable<MessageEvent> {
    return this.feed.stream();
  }
}
