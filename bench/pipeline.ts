/**
 * End to end, at a steady rate of webhooks with the worker running: how long until
 * the push reaches the push service, how long from a decision until Enfuce has the
 * result, and how close to AUTH_TIMEOUT_SECONDS a TIMEOUT arrives. Every other
 * session is approved by its device as soon as the push arrives; the rest time out.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AssentUnderTest, EnrolledDevice, WEBHOOK_CREDENTIALS } from '../test/support/assent-under-test';
import { Bench, enrollCardholders, QUICK, seconds, until } from './harness';
import { Latency, percentiles } from './measure';

export const PIPELINE_RATES = QUICK ? [50] : [50, 100, 200];

export interface PipelineRun {
  rate: number;
  sessions: number;
  webhookAck: Latency;
  /** Webhook sent → push accepted by the push service. */
  pushDelivered: Latency;
  /** Decision sent by the device → callback accepted by Enfuce. */
  decisionToCallback: Latency;
  /** TIMEOUT callback accepted by Enfuce − (webhook received + AUTH_TIMEOUT_SECONDS). */
  timeoutCallbackLateness: Latency;
  /** The timeout job alone: session ended in TIMEOUT − when it was due. */
  timeoutJobLateness: Latency;
  /** Sessions without a push or a callback when the run ended; should be none. */
  missing: { pushes: number; callbacks: number };
  /** Callbacks beyond one per session; should be none. */
  duplicateCallbacks: number;
  cpu: Record<string, number>;
  /** Event-loop delay of the benchmark process itself (stand-ins, devices, pacing), p99 / max ms: its own share of the latencies. */
  measurerDelay: { p99: number; max: number };
}

export interface PipelineReport {
  timeoutSeconds: number;
  runs: PipelineRun[];
}

interface Tracked {
  device: EnrolledDevice;
  approve: boolean;
  sentAt: number;
  ackedAt?: number;
  pushAt?: number;
  decisionAt?: number;
  callbackAt?: number;
  callbacks: number;
}

export async function pipeline(bench: Bench): Promise<PipelineReport> {
  const timeoutSeconds = QUICK ? 5 : 10;
  const system = await bench.system({ workers: 1, authTimeoutSeconds: timeoutSeconds });
  try {
    const devices = (await enrollCardholders(system, 40)).map(([device]) => device);
    const runs: PipelineRun[] = [];
    for (const rate of PIPELINE_RATES) {
      runs.push(await run(bench, system, devices, rate, timeoutSeconds));
      const last = runs[runs.length - 1];
      console.log(
        `  ${rate}/s: push p50 ${last.pushDelivered.p50} ms p99 ${last.pushDelivered.p99} ms; decision→callback p50 ${last.decisionToCallback.p50} ms p99 ${last.decisionToCallback.p99} ms; TIMEOUT late by p99 ${last.timeoutCallbackLateness.p99} ms, max ${last.timeoutCallbackLateness.max} ms`,
      );
    }
    return { timeoutSeconds, runs };
  } finally {
    await system.stop();
  }
}

/** A plain keep-alive HTTP client: the devices' and Enfuce's requests, without a test framework's overhead. */
function client(baseUrl: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const post = (path: string, headers: Record<string, string>, body = '') =>
    new Promise<{ status: number; json: () => unknown }>((resolve, reject) => {
      const req = request(`${baseUrl}${path}`, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, json: () => JSON.parse(Buffer.concat(chunks).toString()) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}

async function run(bench: Bench, system: AssentUnderTest, devices: EnrolledDevice[], rate: number, timeoutSeconds: number): Promise<PipelineRun> {
  const total = rate * seconds(15);
  // Enfuce and the phones are different clients with connections of their own, so a
  // slow decision never holds up a webhook in the client's own queue.
  const enfuce = client(system.apiUrl.replace('localhost', '127.0.0.1'));
  const phones = client(system.apiUrl.replace('localhost', '127.0.0.1'));
  const basic = `Basic ${Buffer.from(`${WEBHOOK_CREDENTIALS.username}:${WEBHOOK_CREDENTIALS.password}`).toString('base64')}`;
  let running = true;
  const sessions = new Map<string, Tracked>();
  // A phone answers one challenge at a time, so its signature counter only ever rises.
  const deviceQueues = new Map<string, Promise<unknown>>();
  let pushesSeen = system.pushService.messages.length;
  let callbacksSeen = system.enfuce.callbacks.length;
  const cpu = bench.meter(system);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();

  const approve = async (sessionId: string, tracked: Tracked) => {
    if (!running) return;
    const auth = { authorization: `Bearer ${tracked.device.token}` };
    const options = await phones.post(`/api/v1/device/challenges/${sessionId}/assertion-options`, auth);
    const body = JSON.stringify({ decision: 'approve', credential: tracked.device.authenticator.assert(options.json() as never) });
    tracked.decisionAt = Date.now();
    await phones.post(`/api/v1/device/challenges/${sessionId}/decision`, { ...auth, 'content-type': 'application/json' }, body);
  };
  // The stand-ins stamp every push and callback as they accept it; this only collects the stamps.
  const watcher = setInterval(() => {
    for (const push of system.pushService.messages.slice(pushesSeen)) {
      const tracked = sessions.get(push.payload.sessionId);
      if (!tracked || tracked.pushAt) continue;
      tracked.pushAt = push.receivedAt;
      if (tracked.approve) {
        const previous = deviceQueues.get(tracked.device.deviceId) ?? Promise.resolve();
        deviceQueues.set(tracked.device.deviceId, previous.then(() => approve(push.payload.sessionId, tracked)).catch(() => undefined));
      }
    }
    pushesSeen = system.pushService.messages.length;
    for (const callback of system.enfuce.callbacks.slice(callbacksSeen)) {
      const tracked = sessions.get(callback.sessionId);
      if (!tracked) continue;
      tracked.callbacks += 1;
      tracked.callbackAt ??= callback.receivedAt;
    }
    callbacksSeen = system.enfuce.callbacks.length;
  }, 2);

  try {
    const started = performance.now();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const pacer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
        for (; sent < due; sent++) {
          const device = devices[sent % devices.length];
          const sessionId = randomUUID();
          const tracked: Tracked = { device, approve: sent % 2 === 0, sentAt: Date.now(), callbacks: 0 };
          sessions.set(sessionId, tracked);
          const body = JSON.stringify(system.webhookBody(device.customerNumber, sessionId));
          enfuce
            .post(`/v1/authenticate/${device.customerNumber}/${sessionId}`, { authorization: basic, 'content-type': 'application/json' }, body)
            .then((response) => {
              if (response.status === 200) tracked.ackedAt = Date.now();
            })
            .catch(() => undefined);
        }
        if (sent === total) {
          clearInterval(pacer);
          resolve();
        }
      }, 1);
    });
    await until(() => [...sessions.values()].every((tracked) => tracked.callbacks > 0), (timeoutSeconds + 60) * 1000, 'every callback').catch(() => undefined);
    // Time for a second callback to arrive if one were going to.
    await new Promise((resolve) => setTimeout(resolve, 1000));
  } finally {
    running = false;
    clearInterval(watcher);
    delay.disable();
    enfuce.close();
    phones.close();
  }
  const usage = cpu.stop();

  const ids = [...sessions.keys()];
  await until(async () => (await system.db.query('SELECT count(*) FROM authentication_sessions WHERE session_id = ANY($1) AND callback_outcome IS NOT NULL', [ids])).rows[0].count >= ids.length, 30000, 'the summaries').catch(() => undefined);
  const { rows } = await system.db.query<{ session_id: string; received_at: Date; expires_at: Date; settled_at: Date; state: string }>(
    'SELECT session_id, received_at, expires_at, settled_at, state FROM authentication_sessions WHERE session_id = ANY($1)',
    [ids],
  );
  const timedOut = rows.filter((row) => row.state === 'TIMEOUT');
  const tracked = [...sessions.values()];
  return {
    rate,
    sessions: total,
    webhookAck: percentiles(tracked.filter((t) => t.ackedAt).map((t) => t.ackedAt! - t.sentAt)),
    pushDelivered: percentiles(tracked.filter((t) => t.pushAt).map((t) => t.pushAt! - t.sentAt)),
    decisionToCallback: percentiles(tracked.filter((t) => t.decisionAt && t.callbackAt).map((t) => t.callbackAt! - t.decisionAt!)),
    timeoutCallbackLateness: percentiles(
      timedOut.map((row) => sessions.get(row.session_id)!.callbackAt! - (row.received_at.getTime() + timeoutSeconds * 1000)),
    ),
    timeoutJobLateness: percentiles(timedOut.map((row) => row.settled_at.getTime() - row.expires_at.getTime())),
    missing: { pushes: tracked.filter((t) => !t.pushAt).length, callbacks: tracked.filter((t) => !t.callbackAt).length },
    duplicateCallbacks: tracked.reduce((sum, t) => sum + Math.max(0, t.callbacks - 1), 0),
    cpu: usage,
    measurerDelay: { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
  };
}
