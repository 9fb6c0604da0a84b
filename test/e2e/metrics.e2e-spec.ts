import { expectErrorResponse } from '../support/error-response';
import { freePort } from '../support/processes';
import { newSessionId, useAssentUnderTest } from '../support/assent-under-test';

const METRICS_TOKEN = 'metrics-test-token-0123456789';

/** A sample's value from Prometheus text, by name and label fragments (0 when absent). */
function sample(text: string, name: string, labels: string[] = []): number {
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && labels.every((label) => l.includes(label)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('metrics: GET /metrics on the API and on the worker health port', () => {
  let workerPort = 0;
  beforeAll(async () => {
    workerPort = await freePort();
  });
  const system = useAssentUnderTest(() => ({ extraEnv: { METRICS_TOKEN, WORKER_HEALTH_PORT: String(workerPort) } }));

  const apiMetrics = async () => (await system.http().get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;
  async function workerMetrics(): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${workerPort}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    return response.text();
  }
  async function waitForWorkerSample(name: string, labels: string[], above: number): Promise<string> {
    const deadline = Date.now() + 10000;
    for (;;) {
      const text = await workerMetrics();
      if (sample(text, name, labels) > above || Date.now() > deadline) return text;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('refuses a scrape without the metrics token, on both processes', async () => {
    const missing = await system.http().get('/metrics');
    await expectErrorResponse(system, missing, 401, { errorType: 'SECURITY_ERROR', errorCode: 'INVALID_CREDENTIALS' });
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    const wrong = await system.http().get('/metrics').set('authorization', 'Bearer wrong-token-wrong-token');
    await expectErrorResponse(system, wrong, 401, { errorType: 'SECURITY_ERROR', errorCode: 'INVALID_CREDENTIALS' });
    expect((await fetch(`http://127.0.0.1:${workerPort}/metrics`)).status).toBe(401);
  });

  it('serves the process metrics and the queues in the Prometheus text format', async () => {
    const response = await system.http().get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
    expect(response.text).toContain('assent_process_cpu_user_seconds_total');
    expect(response.text).toContain('assent_nodejs_eventloop_lag_seconds');
    expect(response.text).toMatch(/^assent_queue_jobs\{queue="push",state="waiting"\} \d+$/m);
    expect(response.text).toMatch(/^assent_queue_oldest_waiting_job_age_seconds\{queue="callback"\} [\d.]+$/m);
    expect(await workerMetrics()).toContain('assent_redis_errors_total');
  });

  it('moves the webhook, push, callback and session metrics as a session goes through', async () => {
    const device = await system.enrollDevice();
    const pushOrigin = new URL(device.subscription!.endpoint).origin;
    const apiBefore = await apiMetrics();
    const workerBefore = await workerMetrics();

    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);
    await system.pushService.waitForMessages((message) => message.payload.sessionId === sessionId);
    expect((await system.approve(device, sessionId)).status).toBe(200);
    await system.settledSummary(sessionId);

    const apiAfter = await apiMetrics();
    expect(sample(apiAfter, 'assent_webhook_ack_seconds_count', ['status="200"'])).toBe(sample(apiBefore, 'assent_webhook_ack_seconds_count', ['status="200"']) + 1);
    expect(sample(apiAfter, 'assent_webhook_ack_seconds_bucket', ['status="200"', 'le="2"'])).toBe(sample(apiBefore, 'assent_webhook_ack_seconds_bucket', ['status="200"', 'le="2"']) + 1);

    const workerAfter = await waitForWorkerSample('assent_sessions_total', ['result="SUCCESS"'], sample(workerBefore, 'assent_sessions_total', ['result="SUCCESS"']));
    const moved = (name: string, labels: string[]) => sample(workerAfter, name, labels) - sample(workerBefore, name, labels);
    expect(moved('assent_sessions_total', ['result="SUCCESS"'])).toBe(1);
    expect(moved('assent_time_to_decision_seconds_count', ['result="SUCCESS"'])).toBe(1);
    expect(moved('assent_callback_attempts_total', ['status="200"'])).toBe(1);
    expect(moved('assent_callback_attempt_seconds_count', ['status="200"'])).toBe(1);
    expect(moved('assent_push_sends_total', [`origin="${pushOrigin}"`, 'status="201"'])).toBe(1);
  });
});
