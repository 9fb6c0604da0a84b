import type { Browser } from 'playwright-core';
import { newCustomerNumber, newSessionId, useAssentUnderTest } from '../support/assent-under-test';
import { launchBrowser, Phone } from '../support/phone';

describe('cardholder app: the countdown', () => {
  // Long enough to open the approval screen on a busy machine, short enough to watch it run out.
  const system = useAssentUnderTest({ authTimeoutSeconds: 12 });
  let browser: Browser;
  let phone: Phone;

  beforeAll(async () => {
    browser = await launchBrowser();
    phone = await Phone.open(browser, system.apiUrl);
  });
  afterAll(async () => {
    await phone?.close();
    await browser?.close();
  });

  it('shows "timed out" when the countdown reaches zero, and TIMEOUT reaches Enfuce', async () => {
    const customerNumber = newCustomerNumber();
    const { page } = phone;
    await page.goto(`${system.apiUrl}/app/activate?code=${await system.activationCode(customerNumber)}`);
    await page.getByRole('button', { name: 'Create passkey' }).click();
    await page.getByRole('button', { name: 'Not now' }).click();
    await page.getByRole('heading', { name: 'This device is ready' }).waitFor();

    const sessionId = newSessionId();
    const sentAt = Date.now();
    await system.webhook(customerNumber, sessionId).expect(200);
    await page.goto(`${system.apiUrl}/app/challenges/${sessionId}`);
    await page.getByRole('heading', { name: 'Approve this purchase?' }).waitFor();
    const shown = Number((await page.getByRole('timer').textContent())!.split(':')[1]);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(12);

    await page.getByRole('heading', { name: 'Time ran out' }).waitFor({ timeout: 20000 });
    // The screen turns when the server's timeout is due, not before.
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(11000);
    await page.getByText('The purchase was not approved.').waitFor();
    await phone.screenshot('16-timed-out');
    expect(await phone.accessibilityViolations()).toEqual([]);
    expect((await system.enfuce.waitForCallback(sessionId)).result).toBe('TIMEOUT');

    // Opened again later, the screen still says how it ended.
    await page.reload();
    await page.getByRole('heading', { name: 'Time ran out' }).waitFor();
  });
});
