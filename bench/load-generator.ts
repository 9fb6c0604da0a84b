/**
 * Sends Enfuce webhooks at a server from a process of its own, so the load never
 * shares an event loop with what it measures. Started by bench/run.ts with a JSON
 * plan as its only argument; prints one JSON line with what it saw.
 *
 *  - `concurrency`: a closed loop (autocannon): N connections, each sending its next
 *    request when the last one is answered. Finds throughput at saturation.
 *  - `rate`: an open loop: requests leave at an even pace (not autocannon's burst at
 *    the top of every second), and each latency is counted from when the request was
 *    due, so a server that falls behind cannot hide it (no coordinated omission).
 *
 * Every request is a new session, for a cardholder taken in turn from `customers`.
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { LoadPlan, LoadResult, summarize } from './measure';

function webhook(plan: LoadPlan, index: number): { path: string; body: string } {
  const customerNumber = plan.customers[index % plan.customers.length];
  const sessionId = randomUUID();
  return {
    path: `/v1/authenticate/${customerNumber}/${sessionId}`,
    body: JSON.stringify({
      callbackUrl: `${plan.callbackBaseUrl}/${plan.institution}/${customerNumber}/${sessionId}`,
      transaction: {
        type: 'PAYMENT',
        cardNumber: '342170______9554',
        timestamp: new Date().toISOString(),
        amount: { amount: 3.14, currency: 'EUR' },
      },
      merchant: { name: 'Airline of the world inc.', country: 'FIN', url: 'https://www.airline.com/order/64674' },
    }),
  };
}

function headers(plan: LoadPlan): Record<string, string> {
  return { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(plan.credentials).toString('base64')}` };
}

async function closedLoop(plan: LoadPlan): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let index = 0;
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: plan.url,
        connections: plan.connections,
        duration: plan.durationSeconds,
        requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, ...webhook(plan, index++), headers: headers(plan) }) }],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      count(statuses, statusCode);
    });
  });
  return summarize(plan, latencies, statuses, result.errors + result.timeouts, performance.now() - started);
}

function count(statuses: Record<string, number>, status: number): void {
  statuses[status] = (statuses[status] ?? 0) + 1;
}

async function openLoop(plan: LoadPlan): Promise<LoadResult> {
  const rate = plan.rate!;
  const agent = new Agent({ keepAlive: true, maxSockets: plan.connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const total = Math.round(rate * plan.durationSeconds);
  const started = performance.now();
  let sent = 0;
  let answered = 0;
  await new Promise<void>((resolve) => {
    const send = (dueAt: number) => {
      const { path, body } = webhook(plan, sent);
      const req = request(plan.url + path, { method: 'POST', agent, headers: { ...headers(plan), 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - dueAt);
          count(statuses, res.statusCode!);
          if (++answered === total) resolve();
        });
      });
      req.on('error', () => {
        errors += 1;
        if (++answered === total) resolve();
      });
      req.end(body);
    };
    // A 1 ms tick sends whatever has fallen due, so the pace holds even when a tick is late.
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
      while (sent < due) {
        send(started + (sent / rate) * 1000);
        sent += 1;
      }
      if (sent === total) clearInterval(timer);
    }, 1);
  });
  const elapsed = performance.now() - started;
  agent.destroy();
  return summarize(plan, latencies, statuses, errors, elapsed);
}

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2]) as LoadPlan;
  const result = plan.rate ? await openLoop(plan) : await closedLoop(plan);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
