import { SqlQuery } from '../pagination';

const percentile = (fraction: number, milliseconds: string, when: string) =>
  `percentile_cont(${fraction}) WITHIN GROUP (ORDER BY extract(epoch FROM ${milliseconds}) * 1000) FILTER (WHERE ${when})`;

/**
 * Per bucket and for the whole window at once (GROUPING SETS: the total row has a
 * null bucket), over the range of the received_at index. Decision time counts
 * cardholders' answers only; a timeout is not a decision.
 */
export function sessionStatsQuery(from: Date, to: Date, bucketSeconds: number): SqlQuery {
  return {
    text: `
      SELECT date_bin(make_interval(secs => $3), received_at, $1::timestamptz) AS bucket,
        count(*)::int AS total,
        count(*) FILTER (WHERE result = 'SUCCESS')::int AS success,
        count(*) FILTER (WHERE result = 'FAIL')::int AS fail,
        count(*) FILTER (WHERE result = 'ERROR')::int AS error,
        count(*) FILTER (WHERE result = 'TIMEOUT')::int AS timeout,
        count(*) FILTER (WHERE result IS NULL)::int AS pending,
        count(*) FILTER (WHERE decline_reason = 'not_me')::int AS not_me,
        ${percentile(0.5, 'settled_at - received_at', `state IN ('APPROVED', 'DECLINED')`)} AS decision_p50,
        ${percentile(0.95, 'settled_at - received_at', `state IN ('APPROVED', 'DECLINED')`)} AS decision_p95,
        count(*) FILTER (WHERE callback_outcome IS NOT NULL)::int AS callbacks_settled,
        count(*) FILTER (WHERE callback_outcome = 'delivered')::int AS callbacks_delivered,
        ${percentile(0.5, 'callback_settled_at - settled_at', `callback_outcome = 'delivered'`)} AS callback_p50,
        ${percentile(0.95, 'callback_settled_at - settled_at', `callback_outcome = 'delivered'`)} AS callback_p95
      FROM authentication_sessions
      WHERE received_at >= $1 AND received_at < $2
      GROUP BY GROUPING SETS ((1), ())`,
    values: [from, to, bucketSeconds],
  };
}

export function pushStatsQuery(from: Date, to: Date, bucketSeconds: number): SqlQuery {
  return {
    text: `
      SELECT date_bin(make_interval(secs => $3), sent_at, $1::timestamptz) AS bucket,
        count(*)::int AS sent,
        count(*) FILTER (WHERE outcome <> 'accepted')::int AS failed
      FROM push_deliveries
      WHERE sent_at >= $1 AND sent_at < $2
      GROUP BY GROUPING SETS ((1), ())`,
    values: [from, to, bucketSeconds],
  };
}
