import type { Browser, Page } from 'playwright-core';
import { AdminAccount, createAdmin } from '../support/admin';
import { EnrolledDevice, newSessionId, useAssentUnderTest } from '../support/assent-under-test';
import { desktopPage, launchChromium, screenshot } from '../support/browser';

describe('operations dashboard in Chromium', () => {
  const system = useAssentUnderTest({ authTimeoutSeconds: 20 });
  let browser: Browser;
  let page: Page;
  let operator: AdminAccount;
  let device: EnrolledDevice;
  let liveSessionId: string;

  async function pushed(sessionId: string) {
    await system.pushService.waitForMessages((message) => message.payload.sessionId === sessionId);
  }

  beforeAll(async () => {
    browser = await launchChromium();
    page = await desktopPage(browser);
    page.on('dialog', (dialog) => void dialog.accept());
    operator = await createAdmin('admin');
    device = await system.enrollDevice({ name: 'Maria’s iPhone' });
    // Some history for the overview: a decline reported as "not me", an ERROR (push refused for good), a timeout.
    const notMe = newSessionId();
    await system.webhook(device.customerNumber, notMe, system.webhookBody(device.customerNumber, notMe, {
      transaction: { cardNumber: '342170______9554', amount: { amount: 249.0, currency: 'EUR' } },
      merchant: { name: 'Electronics Mega Store', country: 'EST' },
    })).expect(200);
    await pushed(notMe);
    await system.decline(device, notMe, 'not_me').expect(200);
    const lost = await system.enrollDevice({ name: 'Old Android' });
    system.pushService.respondWith(lost.subscription!.id, { status: 410 });
    await system.webhook(lost.customerNumber, newSessionId()).expect(200);
    await system.webhook(device.customerNumber, newSessionId(), system.webhookBody(device.customerNumber, newSessionId(), { merchant: { name: 'Taxi Nordic' } })).catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('signs an operator in', async () => {
    await page.goto(`${system.apiUrl}/admin/`);
    await page.getByLabel('Email').waitFor();
    await screenshot(page, '01-sign-in');
    await page.getByLabel('Email').fill(operator.email);
    await page.getByLabel('Password').fill('a wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
    await page.getByLabel('Password').fill(operator.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.who', { hasText: operator.email }).waitFor();
    expect(await page.locator('nav').innerText()).toContain('Live sessions');
  });

  it('shows a session appear live after a webhook, and its result when the cardholder approves', async () => {
    await page.locator('nav').getByText('Live sessions').click();
    await page.locator('.live-dot[data-status="live"]').waitFor();
    liveSessionId = newSessionId();
    await system.webhook(device.customerNumber, liveSessionId).expect(200);

    const row = page.locator(`tr[data-session-id="${liveSessionId}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('Pending');
    await pushed(liveSessionId);
    expect((await system.approve(device, liveSessionId)).status).toBe(200);
    await row.locator('.badge-success').waitFor();
    await row.getByText('Delivered').waitFor();
    await screenshot(page, '03-live-sessions');
  });

  it('opens the session’s timeline, which explains the outcome', async () => {
    await page.locator(`tr[data-session-id="${liveSessionId}"]`).click();
    await page.getByText('Callback delivered to Enfuce ID').waitFor();
    const timeline = await page.locator('.timeline').innerText();
    expect(timeline).toContain('Webhook received from Enfuce ID');
    expect(timeline).toContain('Push to “Maria’s iPhone”: accepted');
    expect(timeline).toContain('Approved on “Maria’s iPhone”');
    expect(timeline).toContain('user verified');
    expect(timeline).toMatch(/Callback attempt 1: SUCCESS → 200/);
    expect(await page.locator('.explain').innerText()).toMatch(/approved on “Maria’s iPhone” with a verified passkey/);
    await screenshot(page, '04-session-timeline', { fullPage: true });
  });

  it('creates an enrollment code with a QR code, and revokes a device', async () => {
    await page.getByRole('link', { name: device.customerNumber }).first().click();
    await page.getByRole('heading', { name: 'Devices' }).waitFor();
    await page.getByRole('button', { name: 'Create enrollment code' }).click();
    await page.locator('img.qr').waitFor();
    expect(await page.locator('.enrollment').innerText()).toContain(`${system.apiUrl}/app/activate?code=ac_`);
    await screenshot(page, '05-cardholder', { fullPage: true });

    const deviceRow = page.locator(`tr[data-device-id="${device.deviceId}"]`);
    await deviceRow.getByRole('button', { name: 'Revoke' }).click();
    await deviceRow.locator('.pill-revoked').waitFor();
    await system.http().get('/api/v1/device').set('authorization', `Bearer ${device.token}`).expect(401);
  });

  it('finds the revocation in the audit log, with who did it', async () => {
    await page.locator('nav').getByText('Audit log').click();
    await page.getByLabel('Event').selectOption('device.revoked');
    const row = page.locator('tr[data-type="device.revoked"]').first();
    await row.waitFor();
    expect(await row.innerText()).toContain(operator.email);
    expect(await row.innerText()).toContain(device.customerNumber);
    await page.getByLabel('Event').selectOption('');
    await page.locator('tr[data-type="admin.signed_in"]').first().waitFor();
    await screenshot(page, '06-audit-log');
  });

  it('shows the overview with the "not me" report flagged', async () => {
    await page.locator('nav').getByText('Overview').click();
    await page.locator('.alert', { hasText: '“not me” report' }).waitFor();
    await page.locator('.chart canvas').first().waitFor();
    expect(await page.locator('.stats').innerText()).toContain('APPROVAL RATE');
    await screenshot(page, '02-overview', { fullPage: true });
  });

  it('shows the queues to an admin, and the admin users', async () => {
    await page.locator('nav').getByText('Queues').click();
    const frame = page.frameLocator('iframe.queues-frame');
    await frame.getByText('callback', { exact: false }).first().waitFor();
    await frame.getByText(/completed/i).first().waitFor();
    await screenshot(page, '08-queues');
    await page.locator('nav').getByText('Admin users').click();
    await page.getByRole('cell', { name: operator.email }).waitFor();
    await screenshot(page, '07-admin-users');
  });

  it('hides what a viewer may not do, and signs out', async () => {
    const viewer = await createAdmin('viewer');
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The sign-in page shows once the sign-out has answered and the route has changed:
    // typing before that, on a slow machine, would be into a page about to re-render.
    await page.waitForURL(/#\/sign-in/);
    await page.getByLabel('Email').fill(viewer.email);
    await page.getByLabel('Password').fill(viewer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.who', { hasText: viewer.email }).waitFor();
    expect(await page.locator('nav').innerText()).not.toContain('Queues');
    await page.goto(`${system.apiUrl}/admin/#/cardholders/${device.customerNumber}`);
    await page.getByRole('heading', { name: 'Devices' }).waitFor();
    expect(await page.getByRole('button', { name: 'Create enrollment code' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
  });
});
