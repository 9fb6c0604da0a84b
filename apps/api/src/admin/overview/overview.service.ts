import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { parseOrReject } from '@assent/domain';
import { Overview, OverviewBucket } from '../admin-api.types';
import { AuthenticationsService } from '../authentications/authentications.service';
import { pushStatsQuery, sessionStatsQuery } from './overview-queries';

const WINDOWS = {
  hour: { seconds: 3600, bucketSeconds: 60 },
  day: { seconds: 24 * 3600, bucketSeconds: 30 * 60 },
} as const;

const overviewSchema = z.object({ window: z.enum(['hour', 'day']).default('hour') });

@Injectable()
export class OverviewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly authentications: AuthenticationsService,
  ) {}

  async overview(query: unknown): Promise<Overview> {
    const { window } = parseOrReject(overviewSchema, query, '$.query');
    const { seconds, bucketSeconds } = WINDOWS[window];
    const bucketMs = bucketSeconds * 1000;
    // Whole buckets, the last one holding now.
    const to = new Date(Math.ceil((Date.now() + 1) / bucketMs) * bucketMs);
    const from = new Date(to.getTime() - seconds * 1000);
    const sessionsQuery = sessionStatsQuery(from, to, bucketSeconds);
    const pushQuery = pushStatsQuery(from, to, bucketSeconds);
    const [sessionRows, pushRows, notMe] = await Promise.all([
      this.dataSource.query(sessionsQuery.text, sessionsQuery.values) as Promise<SessionStats[]>,
      this.dataSource.query(pushQuery.text, pushQuery.values) as Promise<PushStats[]>,
      this.authentications.list({ notMe: 'true', limit: 10 }),
    ]);
    const total = sessionRows.find((row) => row.bucket === null) ?? EMPTY_SESSION_STATS;
    const pushTotal = pushRows.find((row) => row.bucket === null) ?? { bucket: null, sent: 0, failed: 0 };
    const ended = total.success + total.fail + total.error + total.timeout;
    return {
      window,
      from: from.toISOString(),
      to: to.toISOString(),
      bucketSeconds,
      totals: {
        total: total.total,
        SUCCESS: total.success,
        FAIL: total.fail,
        ERROR: total.error,
        TIMEOUT: total.timeout,
        PENDING: total.pending,
        notMe: total.not_me,
        approvalRate: ended ? total.success / ended : null,
        decisionMs: { p50: rounded(total.decision_p50), p95: rounded(total.decision_p95) },
        callback: {
          settled: total.callbacks_settled,
          delivered: total.callbacks_delivered,
          successRate: total.callbacks_settled ? total.callbacks_delivered / total.callbacks_settled : null,
          latencyMs: { p50: rounded(total.callback_p50), p95: rounded(total.callback_p95) },
        },
        push: { sent: pushTotal.sent, failed: pushTotal.failed },
      },
      series: this.series(from, seconds / bucketSeconds, bucketMs, sessionRows, pushRows),
      notMe: notMe.items,
    };
  }

  /** Every bucket of the window, empty ones included, so a chart's time axis has no gaps. */
  private series(from: Date, count: number, bucketMs: number, sessionRows: SessionStats[], pushRows: PushStats[]): OverviewBucket[] {
    const sessionsAt = new Map(sessionRows.filter((row) => row.bucket).map((row) => [new Date(row.bucket!).getTime(), row]));
    const pushesAt = new Map(pushRows.filter((row) => row.bucket).map((row) => [new Date(row.bucket!).getTime(), row]));
    return Array.from({ length: count }, (_, index) => {
      const at = from.getTime() + index * bucketMs;
      const row = sessionsAt.get(at) ?? EMPTY_SESSION_STATS;
      return {
        at: new Date(at).toISOString(),
        SUCCESS: row.success,
        FAIL: row.fail,
        ERROR: row.error,
        TIMEOUT: row.timeout,
        PENDING: row.pending,
        decisionP50: rounded(row.decision_p50),
        decisionP95: rounded(row.decision_p95),
        pushFailed: pushesAt.get(at)?.failed ?? 0,
      };
    });
  }
}

interface SessionStats {
  bucket: Date | null;
  total: number;
  success: number;
  fail: number;
  error: number;
  timeout: number;
  pending: number;
  not_me: number;
  decision_p50: number | null;
  decision_p95: number | null;
  callbacks_settled: number;
  callbacks_delivered: number;
  callback_p50: number | null;
  callback_p95: number | null;
}

interface PushStats {
  bucket: Date | null;
  sent: number;
  failed: number;
}

const EMPTY_SESSION_STATS: SessionStats = {
  bucket: null,
  total: 0,
  success: 0,
  fail: 0,
  error: 0,
  timeout: 0,
  pending: 0,
  not_me: 0,
  decision_p50: null,
  decision_p95: null,
  callbacks_settled: 0,
  callbacks_delivered: 0,
  callback_p50: null,
  callback_p95: null,
};

function rounded(value: number | string | null): number | null {
  return value === null ? null : Math.round(Number(value));
}
