// `npm run demo`: the whole 3-D Secure purchase on this machine. Starts the API,
// the worker and the sandbox (shop, merchant API, 3-D Secure server, ACS, Enfuce
// ID), with the authenticator's callbacks pointed at the sandbox's Enfuce ID,
// enrolls the demo cardholder, and prints where to go.
import { execSync } from 'node:child_process';
import { loadConfiguration, prepare, runTogether } from './local-stack.mjs';

const READY_WITHIN_MS = 60_000;

execSync('bash scripts/ensure-services.sh', { stdio: 'inherit' });
loadConfiguration('demo');
const env = process.env;
const sandboxUrl = env.SANDBOX_PUBLIC_URL || `http://localhost:${env.SANDBOX_PORT || 4000}`;
env.ENFUCE_CALLBACK_BASE_URL = `${sandboxUrl}/enfuceid/api/v1/callback`;
env.SANDBOX_AUTHENTICATOR_URL = env.PUBLIC_BASE_URL;
const demoCustomer = env.SANDBOX_DEMO_CUSTOMER_NUMBER || '392492402';

await prepare('demo');
runTogether('demo', ['api', 'worker', 'sandbox']);
await waitUntilReady(`${env.PUBLIC_BASE_URL}/health/ready`);
await waitUntilReady(`${sandboxUrl}/health/ready`);
const enrollment = await enrollDemoCardholder();
const [app, dashboard] = await Promise.all([describe(`${env.PUBLIC_BASE_URL}/app/`), describe(`${env.PUBLIC_BASE_URL}/admin`)]);

console.log(`
  ┌─ The 3-D Secure sandbox is running ─────────────────────────────────────
  │ Shop:            ${sandboxUrl}/
  │                  pay with a test card; the card chooses how the phone answers
  │ Cardholder app:  ${enrollment.activationUrl}
  │                  enroll your phone as the demo cardholder ${demoCustomer} ${app}
  │                  (single use, until ${enrollment.expiresAt}); then pay with card 4000 0000 0000 9003
  │ Dashboard:       ${env.PUBLIC_BASE_URL}/admin ${dashboard}
  │ Scripted:        npm run sandbox:purchases -- --behaviour approve --count 5
  └─ Ctrl-C stops everything ───────────────────────────────────────────────
`);

async function waitUntilReady(url) {
  const deadline = Date.now() + READY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (await fetch(url).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.error(`[demo] ${url} was not ready within ${READY_WITHIN_MS / 1000} s`);
  process.kill(process.pid, 'SIGTERM');
  throw new Error('not ready');
}

/** The issuer's backend creates the demo cardholder and an activation link (contract §3). */
async function enrollDemoCardholder() {
  const response = await fetch(`${env.PUBLIC_BASE_URL}/api/v1/enrollments`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${env.ISSUER_API_USERNAME}:${env.ISSUER_API_PASSWORD}`).toString('base64')}`,
    },
    body: JSON.stringify({ customerNumber: demoCustomer, displayName: 'Demo cardholder' }),
  });
  if (response.status !== 201) throw new Error(`the enrollment API answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Notes an app that this build does not serve yet (the cardholder app and dashboard come separately). */
async function describe(url) {
  const served = await fetch(url).then((response) => response.ok, () => false);
  return served ? '' : '(not served by this build yet)';
}
