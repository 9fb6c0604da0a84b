import {
  CALLBACK_CREDENTIALS,
  newCustomerNumber,
  newSessionId,
  useAssentUnderTest,
  WEBHOOK_CREDENTIALS,
} from '../support/assent-under-test';
import { ExportedSpan, OtlpCollectorStandIn } from '../support/otlp-collector';

const WEBHOOK = 'POST /v1/authenticate/:customerNumber/:sessionId';
const DECISION = 'POST /api/v1/device/challenges/:sessionId/decision';
// Exported every 200 ms instead of every 5 s, so the tests need not wait long.
const QUICK_EXPORT = { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '200' };

describe('tracing, with an OTLP endpoint configured', () => {
  let collector: OtlpCollectorStandIn | undefined;
  beforeAll(async () => {
    collector = await OtlpCollectorStandIn.start();
  });
  afterAll(async () => {
    await collector?.stop();
  });
  const system = useAssentUnderTest(() => ({ authTimeoutSeconds: 8, extraEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: collector!.url, ...QUICK_EXPORT } }));

  it('follows an approved session from the webhook through its push and decision to its callback, in one trace', async () => {
    const device = await system.enrollDevice();
    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);
    await system.pushService.waitForMessages((message) => message.payload.sessionId === sessionId);
    const approved = await system.approve(device, sessionId);
    expect(approved.status).toBe(200);
    expect((await system.enfuce.waitForCallback(sessionId, 10000)).result).toBe('SUCCESS');
    // The cardholder app's activation link carries its secret in the query.
    const activationCode = await system.activationCode(newCustomerNumber());
    await system.http().get(`/app/activate?code=${activationCode}`).expect(200);

    const trace = await sessionTrace(collector!, sessionId, ['send push', 'decide session', 'send callback'], [DECISION, 'GET /app/*']);
    const webhook = only(trace, WEBHOOK);
    expect(webhook).toMatchObject({
      kind: 'SERVER',
      service: 'assent-api',
      attributes: { 'assent.session_id': sessionId, 'assent.customer_number': device.customerNumber, 'http.response.status_code': 200 },
    });
    expect(new Set(trace.map((span) => span.service))).toEqual(new Set(['assent-api', 'assent-worker']));

    const push = only(trace, 'send push');
    expect(chainOf(push, trace)).toEqual(['send push', 'process push', 'add push.push-challenge', WEBHOOK]);
    expect(push).toMatchObject({
      kind: 'CLIENT',
      service: 'assent-worker',
      attributes: {
        'assent.session_id': sessionId,
        'assent.device_id': device.deviceId,
        'assent.push.service': new URL(device.subscription!.endpoint).origin,
        'assent.push.outcome': 'accepted',
        'http.response.status_code': 201,
      },
    });
    expect(only(trace, 'process push')).toMatchObject({ kind: 'CONSUMER', attributes: { 'assent.customer_number': device.customerNumber } });

    // The decision is a request of its own, from the phone: its work continues the session's
    // trace, as a child of the webhook, and links back to the request's own trace.
    const decide = only(trace, 'decide session');
    expect(decide.parentSpanId).toBe(webhook.spanId);
    expect(decide.attributes).toMatchObject({ 'assent.decision': 'approve', 'assent.device_id': device.deviceId });
    const decisionRequest = only(collector!.spans, DECISION, sessionId);
    expect(decisionRequest.traceId).not.toBe(webhook.traceId);
    expect(decide.links).toEqual([{ traceId: decisionRequest.traceId, spanId: decisionRequest.spanId }]);
    const elsewhere = collector!.spans.filter((span) => span.attributes['assent.session_id'] === sessionId && span.traceId !== webhook.traceId);
    expect(elsewhere).toEqual([decisionRequest]);

    const callback = only(trace, 'send callback');
    expect(chainOf(callback, trace)).toEqual(['send callback', 'process callback', 'add callback.deliver-result', 'decide session', WEBHOOK]);
    expect(callback).toMatchObject({
      kind: 'CLIENT',
      service: 'assent-worker',
      attributes: {
        'assent.session_id': sessionId,
        'assent.customer_number': device.customerNumber,
        'assent.result': 'SUCCESS',
        'assent.callback.attempt': 1,
        'http.response.status_code': 200,
      },
    });

    const activation = collector!.spans.find((span) => span.attributes['url.path'] === '/app/activate');
    expect(activation?.attributes['url.query']).toBe('[redacted]');

    const endpoint = new URL(device.subscription!.endpoint);
    const basic = (credentials: { username: string; password: string }) => Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    const secrets = {
      deviceToken: device.token,
      cardNumber: system.webhookBody(device.customerNumber, sessionId).transaction.cardNumber,
      webhookPassword: WEBHOOK_CREDENTIALS.password,
      webhookAuthorization: basic(WEBHOOK_CREDENTIALS),
      callbackPassword: CALLBACK_CREDENTIALS.password,
      callbackAuthorization: basic(CALLBACK_CREDENTIALS),
      activationCode,
      approvalToken: approved.body.approvalToken.token,
      pushEndpoint: endpoint.href,
      pushEndpointPath: endpoint.pathname,
      pushKey: device.subscription!.keys.auth,
    };
    const exported = collector!.bodies.join('\n');
    const found = Object.entries(secrets).filter(([, secret]) => exported.includes(secret));
    expect(found.map(([name]) => name)).toEqual([]);
  });

  it('puts the timeout, and the TIMEOUT callback it leads to, in the session’s trace', async () => {
    const device = await system.enrollDevice({ push: false });
    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);
    expect((await system.enfuce.waitForCallback(sessionId, 20000)).result).toBe('TIMEOUT');

    const trace = await sessionTrace(collector!, sessionId, ['process timeout', 'send callback']);
    const callback = only(trace, 'send callback');
    expect(chainOf(callback, trace)).toEqual(['send callback', 'process callback', 'add callback.deliver-result', 'process timeout', 'add timeout.expire-session', WEBHOOK]);
    expect(callback.attributes).toMatchObject({ 'assent.result': 'TIMEOUT', 'assent.callback.attempt': 1, 'http.response.status_code': 200 });
    expect(only(trace, 'process timeout')).toMatchObject({ kind: 'CONSUMER', service: 'assent-worker', attributes: { 'assent.session_id': sessionId } });
  });

  it('leaves out BullMQ’s housekeeping, which would otherwise start a trace every few seconds', () => {
    const roots = collector!.spans.filter((span) => !span.parentSpanId);
    expect(roots.filter((span) => span.kind !== 'SERVER' && span.kind !== 'CONSUMER' && span.kind !== 'PRODUCER')).toEqual([]);
    expect(collector!.spans.filter((span) => /^(getNextJob|moveStalledJobsToWait|extendLocks|startStalledCheckTimer)/.test(span.name) && !span.parentSpanId)).toEqual([]);
  });
});

describe('tracing, with no OTLP endpoint configured', () => {
  let collector: OtlpCollectorStandIn | undefined;
  beforeAll(async () => {
    // Where the SDK exports by default: a process that started it anyway would be caught here.
    collector = await OtlpCollectorStandIn.start(4318);
  });
  afterAll(async () => {
    await collector?.stop();
  });
  // Other OTEL_* variables alone do not turn tracing on.
  const system = useAssentUnderTest({ extraEnv: { ...QUICK_EXPORT, OTEL_SERVICE_NAME: 'assent-untraced' } });

  it('starts neither process with the SDK, and exports nothing', async () => {
    const device = await system.enrollDevice();
    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);
    await system.pushService.waitForMessages((message) => message.payload.sessionId === sessionId);
    expect((await system.approve(device, sessionId)).status).toBe(200);
    expect((await system.enfuce.waitForCallback(sessionId, 10000)).result).toBe('SUCCESS');
    // Several export intervals of a wrongly started SDK.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(collector!.bodies).toEqual([]);
    // Read last: the start-up line is written just after the process begins to answer readiness.
    expect(system.api.logs).toContain('"tracing":"off"');
    expect(system.workers[0].logs).toContain('"tracing":"off"');
  });
});

describe('tracing, at a graceful shutdown', () => {
  let collector: OtlpCollectorStandIn | undefined;
  beforeAll(async () => {
    collector = await OtlpCollectorStandIn.start();
  });
  afterAll(async () => {
    await collector?.stop();
  });
  // Batches would wait a minute: only the flush at shutdown can export them in time.
  const system = useAssentUnderTest(() => ({
    extraEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: collector!.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '60000' },
  }));

  it('exports the spans still buffered when the process is told to stop', async () => {
    const device = await system.enrollDevice({ push: false });
    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(collector!.spans.filter((span) => span.name === WEBHOOK)).toEqual([]);

    expect(await system.api.stop('SIGTERM')).toBe(0);
    expect(collector!.spans.filter((span) => span.name === WEBHOOK).map((span) => span.attributes['assent.session_id'])).toEqual([sessionId]);
  });
});

/**
 * Waits until the trace begun by the session's webhook holds spans with each of `names`
 * (and, anywhere, spans named `elsewhere`), and returns that trace's spans.
 */
async function sessionTrace(collector: OtlpCollectorStandIn, sessionId: string, names: string[], elsewhere: string[] = []): Promise<ExportedSpan[]> {
  const traceOf = (spans: ExportedSpan[]) => {
    const webhook = spans.find((span) => span.name === WEBHOOK && span.attributes['assent.session_id'] === sessionId);
    return webhook ? spans.filter((span) => span.traceId === webhook.traceId) : [];
  };
  const complete = (spans: ExportedSpan[]) => {
    const trace = traceOf(spans);
    // Every span in the trace has its parent exported too (parents end, and so are exported, after their children).
    const ids = new Set(trace.map((span) => span.spanId));
    return (
      names.every((name) => trace.some((span) => span.name === name)) &&
      trace.every((span) => !span.parentSpanId || ids.has(span.parentSpanId)) &&
      elsewhere.every((name) => spans.some((span) => span.name === name))
    );
  };
  await collector.waitFor(complete);
  return traceOf(collector.spans);
}

/** The one span named `name` (of the session, when given). */
function only(spans: ExportedSpan[], name: string, sessionId?: string): ExportedSpan {
  const found = spans.filter((span) => span.name === name && (!sessionId || span.attributes['assent.session_id'] === sessionId));
  expect(found.map((span) => span.name)).toEqual([name]);
  return found[0];
}

/** The names from `span` up to the root of its trace. */
function chainOf(span: ExportedSpan, trace: ExportedSpan[]): string[] {
  const parent = trace.find((candidate) => candidate.spanId === span.parentSpanId);
  return [span.name, ...(parent ? chainOf(parent, trace) : [])];
}
