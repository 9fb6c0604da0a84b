import { Inject, Injectable, Logger, MessageEvent, OnModuleDestroy } from '@nestjs/common';
import { from, interval, map, merge, Observable, of, Subject, switchMap, takeUntil } from 'rxjs';
import { ENVIRONMENT, Environment } from '@assent/config';
import { createRedis, RedisConnection } from '@assent/queue';
import { RedisKeys, SessionEvent } from '@assent/sessions';

// An event now and then keeps proxies and load balancers from closing a quiet stream.
const KEEPALIVE_MS = 15_000;

/**
 * The session events every API and worker process publishes on Redis, relayed to
 * the dashboards connected to this process as Server-Sent Events. One subscriber
 * connection per process, opened when the first dashboard connects. Pub/sub keeps
 * nothing for a subscriber that was away, so after Redis comes back the dashboards
 * are told to `resync` (reload what they show).
 */
@Injectable()
export class LiveSessionFeed implements OnModuleDestroy {
  private readonly logger = new Logger(LiveSessionFeed.name);
  private readonly events = new Subject<MessageEvent>();
  private readonly closing = new Subject<void>();
  private ended = false;
  private subscriber?: RedisConnection;
  private subscribed?: Promise<unknown>;

  constructor(@Inject(ENVIRONMENT) private readonly env: Environment) {}

  /** `ready` comes once this process listens, so what a dashboard loads after it misses no change. */
  stream(): Observable<MessageEvent> {
    return from(this.subscribe()).pipe(
      switchMap(() =>
        merge(
          of<MessageEvent>({ type: 'ready', data: {} }),
          this.events,
          interval(KEEPALIVE_MS).pipe(map((): MessageEvent => ({ type: 'ping', data: {} }))),
        ),
      ),
      takeUntil(this.closing),
    );
  }

  /**
   * Ends every open stream. It must run before the HTTP server closes (main.ts does
   * that on SIGTERM): an open stream would otherwise hold the shutdown up. Idempotent.
   */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.closing.next();
    this.closing.complete();
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  private subscribe(): Promise<unknown> {
    this.subscribed ??= this.connect();
    return this.subscribed;
  }

  private connect(): Promise<unknown> {
    // A subscriber waits for Redis to come back, as the worker's connections do, rather than failing fast.
    const subscriber = createRedis(this.env, 'worker');
    this.subscriber = subscriber;
    const channel = new RedisKeys(this.env.REDIS_KEY_PREFIX).sessionEvents();
    let connectedBefore = false;
    subscriber.on('ready', () => {
      if (connectedBefore) this.events.next({ type: 'resync', data: {} });
      connectedBefore = true;
    });
    subscriber.on('message', (_channel: string, message: string) => {
      try {
        this.events.next({ type: 'session', data: JSON.parse(message) as SessionEvent });
      } catch (error) {
        this.logger.error({ msg: 'Unreadable session event', err: error });
      }
    });
    return subscriber.subscribe(channel);
  }
}
