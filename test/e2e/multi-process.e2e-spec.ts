import { AdminClient, LiveStream } from '../support/admin';
import { AssentUnderTest, EnrolledDevice, INSTITUTION, ISSUER_CREDENTIALS, newCustomerNumber, newSessionId, sleep, useAssentUnderTest } from '../support/assent-under-test';
import { expectErrorResponse } from '../support/error-response';
import type { ServiceProcess } from '../support/processes';

/**
 * Any number of API and worker processes run side by side on one Redis and one
 * Postgres: nothing a request or a job needs lives in one process's memory. Two APIs
 * (reached on their own ports, as a load balancer would spread requests) and two
 * workers, with the steps of one session landing on different processes on purpose.
 * The processes' structured log lines tell which process did what.
 */

type LogLine = Record<string, any>;

function logLines(process: ServiceProcess): LogLine[] {
  return process.logs.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

/** A log line in short: a request as "POST /path 200", a job's line as "push job: Job completed", anything else by its message. */
function described(line: LogLine): string {
  if (line.req) return `${line.req.method} ${line.req.url} ${line.res?.statusCode}`;
  return line.queue ? `${line.queue} job: ${line.msg}` : line.msg;
}

/** What a process logged about a session. */
function loggedAbout(process: ServiceProcess, sessionId: string): string[] {
  return logLines(process)
    .filter((line) => line.sessionId === sessionId || line.req?.url?.includes(sessionId))
    .map(described);
}

const ACCEPTED = 'Webhook accepted';
const PUSHED = 'push job: Job completed';
const DELIVERED = 'Result delivered to Enfuce';
const CALLBACK_DONE = 'callback job: Job completed';

/** How many lines, described as above, each process logged. */
function countsOf(processes: ServiceProcess[], description: string): number[] {
  return processes.map((process) => logLines(process).filter((line) => described(line) === description).length);
}

async function until<T>(find: () => T | undefined, what: string, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('two API and two worker processes on one Redis and Postgres', () => {
  const system = useAssentUnderTest({ apis: 2, workers: 2, authTimeoutSeconds: 60 });

  /** Two running workers, starting another when an earlier test stopped one. */
  async function twoRunningWorkers(): Promise<ServiceProcess[]> {
    while (system.workers.filter((worker) => worker.running).length < 2) await system.startWorker();
    return system.workers.filter((worker) => worker.running);
  }

  function pushFor(device: EnrolledDevice, sessionId: string) {
    return system.pushService.waitForMessages((message) => message.subscriptionId === device.subscription!.id && message.payload.sessionId === sessionId);
  }

  it('takes one session from the webhook on one API to the decision on the other, the push by one worker and the callback by the other', async () => {
    const workers = await twoRunningWorkers();
    const device = await system.enrollDevice();
    const sessionId = newSessionId();

    await system.via(0).webhook(device.customerNumber, sessionId).expect(200);
    await pushFor(device, sessionId);
    const pusher = await until(() => workers.find((worker) => loggedAbout(worker, sessionId).includes(PUSHED)), 'the push to be logged');
    const other = workers.find((worker) => worker !== pusher)!;
    // Gracefully, as a scale-in or a rolling update does: the callback can only be the other worker's.
    expect(await pusher.stop('SIGTERM')).toBe(0);

    const decision = await system.via(1).approve(device, sessionId);
    expect(decision.status).toBe(200);
    expect(decision.body.result).toBe('SUCCESS');

    const callback = await system.enfuce.waitForCallback(sessionId);
    expect(callback).toMatchObject({ institutionCode: INSTITUTION, customerNumber: device.customerNumber, sessionId, result: 'SUCCESS' });
    expect(await system.settledSummary(sessionId)).toMatchObject({ result: 'SUCCESS', callback_outcome: 'delivered', decided_by_device_id: device.deviceId });
    await sleep(500);
    expect(system.enfuce.callbacksFor(sessionId)).toHaveLength(1);

    await until(() => (loggedAbout(other, sessionId).length >= 2 ? true : undefined), 'the callback to be logged');
    const path = `/api/v1/device/challenges/${sessionId}`;
    expect(loggedAbout(system.apis[0], sessionId)).toEqual([ACCEPTED]);
    expect(loggedAbout(system.apis[1], sessionId)).toEqual([`POST ${path}/assertion-options 200`, `POST ${path}/decision 200`]);
    expect(loggedAbout(pusher, sessionId)).toEqual([PUSHED]);
    expect(loggedAbout(other, sessionId)).toEqual([DELIVERED, CALLBACK_DONE]);
  });

  it('gives each of 160 concurrent sessions exactly one correct callback, with both APIs and both workers at work', async () => {
    const workers = await twoRunningWorkers();
    const webhooksBefore = countsOf(system.apis, ACCEPTED);
    const pushesBefore = countsOf(workers, PUSHED);
    const deliveriesBefore = countsOf(workers, DELIVERED);
    // Sessions of one device are decided one after the other: a passkey's signature
    // counter must rise from one approval to the next, as on a real phone.
    const devices = await Promise.all(Array.from({ length: 40 }, (_, i) => system.via(i % 2).enrollDevice()));
    const sessions = Array.from({ length: 160 }, (_, i) => ({
      sessionId: newSessionId(),
      device: devices[i % devices.length],
      webhookApi: i % 2,
      decisionApi: 1 - (i % 2),
      result: Math.floor(i / devices.length) % 2 === 0 ? 'SUCCESS' : 'FAIL',
    }));

    const webhooks = await Promise.all(sessions.map((s) => system.via(s.webhookApi).webhook(s.device.customerNumber, s.sessionId)));
    expect(webhooks.map((response) => response.status)).toEqual(sessions.map(() => 200));
    const ids = new Set(sessions.map((s) => s.sessionId));
    await system.pushService.waitForMessages((message) => ids.has(message.payload.sessionId), sessions.length, 30000);

    await Promise.all(
      devices.map(async (device) => {
        for (const s of sessions.filter((session) => session.device === device)) {
          const routed = system.via(s.decisionApi);
          const answer = s.result === 'SUCCESS' ? await routed.approve(device, s.sessionId) : await routed.decline(device, s.sessionId);
          expect({ status: answer.status, result: answer.body.result }).toEqual({ status: 200, result: s.result });
        }
      }),
    );

    await until(() => (sessions.every((s) => system.enfuce.callbacksFor(s.sessionId).length > 0) ? true : undefined), 'every callback', 30000);
    await sleep(1000);
    for (const s of sessions) {
      expect(system.enfuce.callbacksFor(s.sessionId).map((c) => ({ customerNumber: c.customerNumber, result: c.result }))).toEqual([
        { customerNumber: s.device.customerNumber, result: s.result },
      ]);
    }
    // Nothing twice in any process: one push round and one delivery per session, over both workers.
    // A job's own line is written after its callback was posted: it may follow by a moment.
    const logged = (s: { sessionId: string }) => workers.flatMap((worker) => loggedAbout(worker, s.sessionId));
    await until(() => (sessions.every((s) => logged(s).length >= 3) ? true : undefined), 'every session logged by the workers');
    for (const s of sessions) {
      expect(logged(s).sort()).toEqual([PUSHED, DELIVERED, CALLBACK_DONE].sort());
    }
    expect(system.pushService.messages.filter((message) => ids.has(message.payload.sessionId))).toHaveLength(sessions.length);
    const { rows } = await system.db.query('SELECT session_id, count(*)::int AS attempts FROM callback_attempts WHERE session_id = ANY($1) GROUP BY session_id', [[...ids]]);
    expect(rows.filter((row) => row.attempts !== 1)).toEqual([]);

    // Both workers took their share of each kind of job; each API took its half of the webhooks.
    const pushes = countsOf(workers, PUSHED).map((count, i) => count - pushesBefore[i]);
    const deliveries = countsOf(workers, DELIVERED).map((count, i) => count - deliveriesBefore[i]);
    expect({ pushed: pushes.map((count) => count > 0), delivered: deliveries.map((count) => count > 0) }).toEqual({ pushed: [true, true], delivered: [true, true] });
    expect(pushes[0] + pushes[1]).toBe(sessions.length);
    expect(countsOf(system.apis, ACCEPTED).map((count, i) => count - webhooksBefore[i])).toEqual([80, 80]);
  });
});

const NO_ACTIVE_DEVICE = { errorType: 'DYNAMIC_VALIDATION_ERROR', errorCode: 'NO_ACTIVE_DEVICE' } as const;
const RATE_LIMITED = { errorType: 'SECURITY_ERROR', errorCode: 'RATE_LIMITED' } as const;
const LOCKED_OUT = { errorType: 'SECURITY_ERROR', errorCode: 'DEVICE_LOCKED_OUT' } as const;

describe('state that every API process shares through Redis', () => {
  const system = useAssentUnderTest({
    apis: 2,
    extraEnv: { RATE_LIMIT_ENROLLMENTS_PER_MINUTE: '4', RATE_LIMIT_DECISIONS_PER_MINUTE: '4', DEVICE_LOCKOUT_THRESHOLD: '2' },
  });

  it('knows on every API which cardholders have a device: enrolled through one, removed through the other', async () => {
    const customerNumber = newCustomerNumber();
    await expectErrorResponse(system, await system.via(1).webhook(customerNumber, newSessionId()), 404, NO_ACTIVE_DEVICE);

    const device = await system.via(0).enrollDevice({ customerNumber, push: false });
    await system.via(1).webhook(customerNumber, newSessionId()).expect(200);

    await system.httpTo(1).delete('/api/v1/device').set('authorization', `Bearer ${device.token}`).expect(204);
    await expectErrorResponse(system, await system.via(0).webhook(customerNumber, newSessionId()), 404, NO_ACTIVE_DEVICE);
  });

  it('counts rate limits over both APIs', async () => {
    const customerNumber = newCustomerNumber();
    const enroll = (api: number) => system.httpTo(api).post('/api/v1/enrollments').auth(ISSUER_CREDENTIALS.username, ISSUER_CREDENTIALS.password).send({ customerNumber, displayName: 'Maria' });
    for (const api of [0, 1, 0, 1]) await enroll(api).expect(201);
    await expectErrorResponse(system, await enroll(0), 429, RATE_LIMITED);
    await expectErrorResponse(system, await enroll(1), 429, RATE_LIMITED);

    const device = await system.enrollDevice({ push: false });
    for (const api of [0, 1, 0, 1]) await system.via(api).decline(device, newSessionId()).expect(404);
    await expectErrorResponse(system, await system.via(1).decline(device, newSessionId()), 429, RATE_LIMITED);
  });

  it('locks a device out after failed assertions spread over both APIs', async () => {
    const device = await system.enrollDevice({ push: false });
    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);
    const forgedApproval = async (routed: AssentUnderTest) => {
      const options = await routed.http().post(`/api/v1/device/challenges/${sessionId}/assertion-options`).set('authorization', `Bearer ${device.token}`).expect(200);
      const credential = device.authenticator.assert(options.body);
      credential.response.signature = Buffer.from('forged signature bytes').toString('base64url');
      return routed.http().post(`/api/v1/device/challenges/${sessionId}/decision`).set('authorization', `Bearer ${device.token}`).send({ decision: 'approve', credential });
    };
    expect((await forgedApproval(system.via(0))).status).toBe(403);
    expect((await forgedApproval(system.via(1))).status).toBe(403);

    await expectErrorResponse(system, await system.via(0).approve(device, sessionId), 429, LOCKED_OUT);
  });

  it('keeps a dashboard signed in on every API, and streams to it what another API accepted', async () => {
    const signedInOnFirst = await AdminClient.as(system, 'viewer');
    const onSecond = signedInOnFirst.via(system.apiUrls[1]);
    expect((await onSecond.get('/api/v1/admin/me').expect(200)).body).toMatchObject({ email: signedInOnFirst.account.email });

    const stream = await LiveStream.open(onSecond);
    try {
      const device = await system.enrollDevice({ push: false });
      const sessionId = newSessionId();
      await system.via(0).webhook(device.customerNumber, sessionId).expect(200);
      await stream.waitFor((event) => event.data?.type === 'session.received' && event.data.session.sessionId === sessionId);
    } finally {
      stream.close();
    }

    // Signing out on the second API ends the session on the first too.
    await onSecond.send('post', '/api/v1/admin/sign-out').expect(204);
    await signedInOnFirst.get('/api/v1/admin/me').expect(401);
  });
});
