/**
 * `npm run sandbox:purchases -- --behaviour approve --count 5`: runs purchases
 * through a running sandbox (POST /sandbox/purchases) and prints what each party
 * ended with. `--json` prints the sandbox's whole report instead.
 */
import { parseArgs } from 'node:util';
import { BEHAVIOURS } from './cards/test-cards';
import type { PurchaseRunReport } from './purchases/purchase-runner';

const USAGE = `Usage: npm run sandbox:purchases -- --behaviour <${BEHAVIOURS.join('|')}> [--count N] [--concurrency N] [--item coffee|jacket|ticket] [--url http://localhost:4000] [--json]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      behaviour: { type: 'string', short: 'b' },
      count: { type: 'string', short: 'n', default: '1' },
      concurrency: { type: 'string' },
      item: { type: 'string' },
      url: { type: 'string', default: process.env.SANDBOX_PUBLIC_URL ?? `http://localhost:${process.env.SANDBOX_PORT ?? 4000}` },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || !values.behaviour) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const body = {
    behaviour: values.behaviour,
    count: Number(values.count),
    ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
    ...(values.item ? { itemId: values.item } : {}),
  };
  // A purchase that is ignored or approved late lasts until Enfuce ID's deadline (150 s); no client timeout.
  const response = await fetch(`${values.url}/sandbox/purchases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const report = (await response.json()) as PurchaseRunReport & { message?: string };
  if (!response.ok) {
    console.error(`The sandbox answered ${response.status}: ${report.message ?? JSON.stringify(report)}`);
    process.exit(1);
  }
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  printSummary(report);
}

function printSummary(report: PurchaseRunReport): void {
  console.table(
    report.purchases.map((purchase) => ({
      order: purchase.transactionReference,
      outcome: purchase.outcome,
      eci: purchase.authentication?.eci ?? '',
      'Enfuce ID result': purchase.enfuce?.outcome ? `${purchase.enfuce.outcome.result} (${purchase.enfuce.outcome.source})` : '',
      callbacks: purchase.enfuce?.callbacks.map((callback) => callback.status).join(' ') ?? '',
      'ms': purchase.durationMs,
      ...(purchase.error ? { error: purchase.error } : {}),
    })),
  );
  const outcomes = Object.entries(report.outcomes).map(([outcome, count]) => `${count} ${outcome}`).join(', ');
  console.log(`${report.purchases.length} purchases (${report.behaviour}) in ${(report.durationMs / 1000).toFixed(1)} s: ${outcomes}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
