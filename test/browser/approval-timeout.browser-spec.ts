import { newSessionId, useAssentUnderTest } from '../support/assent-under-test';
import { enrollThroughTheApp, Phone, useBrowser } from '../support/phone';

describe('cardholder app: the countdown', () => {
  // Long enough to open the approval screen on a busy machine, short enough to watch it run out.
  const system = useAssentUnderTest({ authTimeoutSeconds: 12 });
  const browser = useBrowser();
  let phone: Phone;

  beforeAll(async () => {
    phone = await Phone.open(browser(), system.apiUrl);
  });
  afterAll(async () => {
    await phone?.close();
  });

  it('shows "timed out" when the countdown reaches zero, and TIMEOUT reaches Enfuce', async () => {
    const { customerNumber } = await enrollThroughTheApp(phone, system);
    const { page } = phone;

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
    expect(await phone.screenshotAndAudit('16-timed-out')).toEqual([]);
    expect((await system.enfuce.waitForCallback(sessionId)).result).toBe('TIMEOUT');

    // Opened again later, the screen still says how it ended.
    await page.reload();
    await page.getByRole('heading', { name: 'Time ran out' }).waitFor();
  });
});
