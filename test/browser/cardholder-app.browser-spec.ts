/**
 * The cardholder app in a real browser against the real system: headless Chromium
 * with a virtual authenticator, the built API and worker on the real Redis and
 * Postgres, purchases created through Enfuce's webhook and results checked at the
 * Enfuce stand-in's callback.
 */
import { AssentUnderTest, ISSUER_CREDENTIALS, newCustomerNumber, newSessionId, useAssentUnderTest } from '../support/assent-under-test';
import { enrollThroughTheApp, Phone, useBrowser } from '../support/phone';

describe('cardholder app: enroll, approve, decline, notifications', () => {
  const system = useAssentUnderTest({ authTimeoutSeconds: 90 });
  const browser = useBrowser();
  let phone: Phone;

  beforeEach(async () => {
    phone = await Phone.open(browser(), system.apiUrl);
  });
  afterEach(async () => {
    await phone?.close();
  });

  it('enrolls with a passkey from the activation link, and says plainly that notifications are off and how to fix it', async () => {
    const customerNumber = newCustomerNumber();
    const { activationUrl } = (
      await system.http().post('/api/v1/enrollments').auth(ISSUER_CREDENTIALS.username, ISSUER_CREDENTIALS.password).send({ customerNumber, displayName: 'Maria Virtanen' }).expect(201)
    ).body;
    const { page } = phone;

    await page.goto(activationUrl);
    await page.getByRole('heading', { name: 'Set up this device' }).waitFor();
    await page.getByText('Maria Virtanen').waitFor();
    expect(await page.locator('.card').first().textContent()).toContain('Assent asks you to set up this device');
    const name = page.getByLabel('Name of this device');
    expect(await name.inputValue()).toBe('Android phone');
    expect(await phone.screenshotAndAudit('01-enroll')).toEqual([]);

    await name.fill('Maria’s Pixel');
    await page.getByRole('button', { name: 'Create passkey' }).click();
    await page.getByRole('heading', { name: 'Turn on notifications' }).waitFor();
    expect(await phone.screenshotAndAudit('02-enroll-notifications')).toEqual([]);

    // This browser can reach no push service, so the device stays in poll mode, and the app says so.
    await page.getByRole('button', { name: 'Turn on notifications' }).click();
    await page.getByRole('heading', { name: 'This device is ready' }).waitFor();
    await page.getByText('Notifications are off').waitFor();
    await page.getByText('Your browser’s notification service could not be reached').waitFor();
    expect(await phone.screenshotAndAudit('03-enrolled-poll-mode')).toEqual([]);

    const { rows } = await system.db.query(
      'SELECT d.name, d.push_status, d.status FROM devices d JOIN cardholders c ON c.id = d.cardholder_id WHERE c.customer_number = $1',
      [customerNumber],
    );
    expect(rows).toEqual([{ name: 'Maria’s Pixel', push_status: 'none', status: 'active' }]);
    const token = await phone.deviceToken();
    await system.http().get('/api/v1/device').set('authorization', `Bearer ${token}`).expect(200);
  });

  it('lists a purchase within seconds when opened without a push, approves it with the passkey, and SUCCESS reaches Enfuce', async () => {
    const { customerNumber } = await enrollThroughTheApp(phone, system);
    const { page } = phone;
    await page.getByRole('button', { name: 'Go to purchases' }).click();
    await page.getByText('Nothing to approve right now.').waitFor();
    expect(await phone.screenshotAndAudit('04-purchases-empty')).toEqual([]);

    const sessionId = newSessionId();
    await system.webhook(customerNumber, sessionId).expect(200);
    const purchase = page.getByRole('link', { name: /€3\.14.*Airline of the world inc\./ });
    await purchase.waitFor();
    expect(await phone.screenshotAndAudit('05-purchases-pending')).toEqual([]);

    await purchase.click();
    await page.getByRole('heading', { name: 'Approve this purchase?' }).waitFor();
    expect(await page.locator('.purchase-amount').textContent()).toBe('€3.14');
    expect(await page.locator('.purchase-merchant').textContent()).toBe('Airline of the world inc.');
    const facts = await page.locator('.purchase .facts').innerText();
    expect(facts).toMatch(/Shop\s+www\.airline\.com/);
    expect(facts).toMatch(/Country\s+Finland/);
    expect(facts).toMatch(/Card\s+•••• 9554/);
    expect(await page.getByRole('timer').textContent()).toMatch(/^1:[0-2]\d$/);
    expect(await phone.screenshotAndAudit('06-approve')).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await phone.screenshotAndAudit('06-approve-dark')).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('heading', { name: 'Purchase approved' }).waitFor();
    await page.getByText('You can return to the shop').waitFor();
    expect(await phone.screenshotAndAudit('07-approved')).toEqual([]);

    expect((await system.enfuce.waitForCallback(sessionId)).result).toBe('SUCCESS');
    expect(await system.settledSummary(sessionId)).toMatchObject({ state: 'APPROVED', result: 'SUCCESS' });
  });

  it('declines from the deep link after asking "Was this you?", and FAIL reaches Enfuce with the reason "not me"', async () => {
    const { customerNumber } = await enrollThroughTheApp(phone, system);
    const sessionId = newSessionId();
    await system.webhook(customerNumber, sessionId).expect(200);
    const { page } = phone;

    await page.goto(`${system.apiUrl}/app/challenges/${sessionId}`);
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.getByRole('heading', { name: 'Was this you?' }).waitFor();
    await page.getByText('Did you try to pay €3.14 at Airline of the world inc.?').waitFor();
    expect(await phone.screenshotAndAudit('08-decline-was-this-you')).toEqual([]);

    await page.getByRole('button', { name: 'No, this wasn’t me' }).click();
    await page.getByRole('heading', { name: 'Purchase declined' }).waitFor();
    await page.getByText('contact your bank').waitFor();
    expect(await phone.screenshotAndAudit('09-declined-not-me')).toEqual([]);

    expect((await system.enfuce.waitForCallback(sessionId)).result).toBe('FAIL');
    expect(await system.settledSummary(sessionId)).toMatchObject({ state: 'DECLINED', result: 'FAIL', decline_reason: 'not_me' });
  });

  it('shows the notification for a push delivered to its service worker, and a tap opens the approval screen', async () => {
    const { sessionId, push } = await purchaseWithRealPush(phone, system);
    const { page } = phone;
    await page.goto(`${system.apiUrl}/app/`);

    await phone.deliverPush(push);
    const notification = await phone.waitForNotification((shown) => shown.tag === sessionId);
    expect(notification).toEqual({
      title: 'Approve €3.14 at Airline of the world inc.?',
      body: 'Card ending in 9554 · tap to approve or decline',
      tag: sessionId,
      actions: [{ action: 'decline', title: 'Decline' }],
      data: expect.objectContaining({ url: `${system.apiUrl}/app/challenges/${sessionId}`, sessionId }),
    });

    await phone.tapNotification(sessionId);
    await page.waitForURL(`${system.apiUrl}/app/challenges/${sessionId}`);
    await page.getByRole('heading', { name: 'Approve this purchase?' }).waitFor();
    expect(await page.locator('.purchase-amount').textContent()).toBe('€3.14');
    expect(await phone.screenshotAndAudit('10-opened-from-notification')).toEqual([]);

    // Approving there closes the notification.
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('heading', { name: 'Purchase approved' }).waitFor();
    expect((await system.enfuce.waitForCallback(sessionId)).result).toBe('SUCCESS');
    expect((await phone.notifications()).filter((shown) => shown.tag === sessionId)).toEqual([]);
  });

  it('declines from the notification’s own Decline button without opening the app, and then says so', async () => {
    const { sessionId, push } = await purchaseWithRealPush(phone, system);
    await phone.deliverPush(push);
    await phone.waitForNotification((shown) => shown.tag === sessionId);

    await phone.tapNotification(sessionId, 'decline');
    expect((await system.enfuce.waitForCallback(sessionId)).result).toBe('FAIL');
    const confirmation = await phone.waitForNotification((shown) => shown.tag === sessionId && shown.title.startsWith('Declined'));
    expect(confirmation.title).toBe('Declined: €3.14 at Airline of the world inc.');
    expect(confirmation.actions).toEqual([]);

    // Opened later, the approval screen tells how the purchase ended.
    await phone.page.goto(`${system.apiUrl}/app/challenges/${sessionId}`);
    await phone.page.getByRole('heading', { name: 'Already declined' }).waitFor();
  });

  it('speaks Finnish to a Finnish browser, with amounts, countries and dates formatted by Intl', async () => {
    await phone.close();
    phone = await Phone.open(browser(), system.apiUrl, { locale: 'fi-FI' });
    const customerNumber = newCustomerNumber();
    const code = await system.activationCode(customerNumber);
    const { page } = phone;

    await page.goto(`${system.apiUrl}/app/activate?code=${code}`);
    await page.getByRole('heading', { name: 'Ota laite käyttöön' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fi');
    expect(await page.getByLabel('Laitteen nimi').inputValue()).toBe('Android-puhelin');
    await page.getByRole('button', { name: 'Luo pääsyavain' }).click();
    await page.getByRole('button', { name: 'Ei nyt' }).click();
    await page.getByRole('heading', { name: 'Laite on valmis' }).waitFor();

    const sessionId = newSessionId();
    await system.webhook(customerNumber, sessionId).expect(200);
    await page.goto(`${system.apiUrl}/app/challenges/${sessionId}`);
    await page.getByRole('heading', { name: 'Hyväksytkö tämän ostoksen?' }).waitFor();
    expect(await page.locator('.purchase-amount').textContent()).toBe('3,14\u00a0€');
    expect(await page.locator('.purchase .facts').innerText()).toMatch(/Maa\s+Suomi/);
    expect(await phone.screenshotAndAudit('11-approve-fi')).toEqual([]);

    await page.getByRole('link', { name: 'Tämä laite' }).click();
    await page.getByRole('heading', { name: 'Tämä laite' }).waitFor();
    const today = new Intl.DateTimeFormat('fi-FI', { dateStyle: 'medium' }).format(new Date());
    expect(await page.locator('.facts').innerText()).toContain(today);

    const pushed = await pushFor(system, customerNumber, phone);
    await phone.deliverPush(pushed.push);
    const notification = await phone.waitForNotification((shown) => shown.tag === pushed.sessionId);
    expect(notification.title).toBe('Hyväksytkö ostoksen 3,14\u00a0€ – Airline of the world inc.?');
    expect(notification.actions).toEqual([{ action: 'decline', title: 'Hylkää' }]);
  });

  it('shows this device’s status, and removing it revokes its token at once', async () => {
    const { customerNumber, token } = await enrollThroughTheApp(phone, system, { name: 'Work phone' });
    const { page } = phone;
    await page.getByRole('link', { name: 'This device' }).click();
    await page.getByRole('heading', { name: 'This device' }).waitFor();
    const facts = await page.locator('.facts').innerText();
    expect(facts).toMatch(/Name\s+Work phone/);
    expect(facts).toMatch(/Last approval\s+Not yet/);
    expect(facts).toMatch(/Notifications\s+Off/);
    await page.getByRole('button', { name: 'Turn on notifications' }).click();
    await page.getByText('Your browser’s notification service could not be reached. Try turning them on again later.').waitFor();
    expect(await phone.screenshotAndAudit('12-device')).toEqual([]);

    await page.getByRole('button', { name: 'Remove this device' }).click();
    await page.getByRole('heading', { name: 'Remove this device?' }).waitFor();
    expect(await phone.screenshotAndAudit('13-device-remove')).toEqual([]);
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByRole('heading', { name: 'Device removed' }).waitFor();

    await system.http().get('/api/v1/device').set('authorization', `Bearer ${token}`).expect(401);
    await system.webhook(customerNumber, newSessionId()).expect(404);
    expect(await phone.deviceToken()).toBeUndefined();
  });

  it('opens from its cache when offline, with a clear offline state', async () => {
    await enrollThroughTheApp(phone, system);
    await phone.serviceWorkerReady();
    const { page } = phone;
    await phone.context.setOffline(true);
    await page.goto(`${system.apiUrl}/app/`);
    await page.getByRole('heading', { name: 'Purchases to approve' }).waitFor();
    await page.getByText('You’re offline. The app updates again when you’re back online.').waitFor();
    await page.getByText('Purchases waiting for you appear here when you’re back online.').waitFor();
    expect(await phone.screenshotAndAudit('14-offline')).toEqual([]);
    await phone.context.setOffline(false);
  });

  it('says how to unblock notifications when the cardholder has blocked them, and enrolls the device in poll mode', async () => {
    await phone.close();
    phone = await Phone.open(browser(), system.apiUrl, { notifications: false });
    const customerNumber = newCustomerNumber();
    const { page } = phone;
    await page.goto(`${system.apiUrl}/app/activate?code=${await system.activationCode(customerNumber)}`);
    await page.getByRole('button', { name: 'Create passkey' }).click();
    await page.getByRole('button', { name: 'Turn on notifications' }).click();
    await page.getByRole('heading', { name: 'This device is ready' }).waitFor();
    await page.getByText('Notifications are blocked for this app. Allow them in your browser or phone settings').waitFor();

    // In poll mode the device can still be asked: the webhook finds it.
    await system.webhook(customerNumber, newSessionId()).expect(200);
  });

  it('tells a device already set up that it is, instead of enrolling it twice', async () => {
    await enrollThroughTheApp(phone, system);
    await phone.page.goto(`${system.apiUrl}/app/activate?code=${await system.activationCode(newCustomerNumber())}`);
    await phone.page.getByRole('heading', { name: 'This device is already set up' }).waitFor();
    await phone.page.getByRole('button', { name: 'Go to purchases' }).click();
    await phone.page.getByRole('heading', { name: 'Purchases to approve' }).waitFor();
  });

  it('forgets a device removed elsewhere and says it is no longer set up', async () => {
    const { token } = await enrollThroughTheApp(phone, system);
    await system.http().delete('/api/v1/device').set('authorization', `Bearer ${token}`).expect(204);
    await phone.page.goto(`${system.apiUrl}/app/`);
    await phone.page.getByRole('heading', { name: 'This device is no longer set up' }).waitFor();
    expect(await phone.deviceToken()).toBeUndefined();
  });

  it('explains a used activation link in a sentence, never a status code', async () => {
    const customerNumber = newCustomerNumber();
    const activationCode = await system.activationCode(customerNumber);
    await enrollThroughTheApp(phone, system, { customerNumber, activationCode });
    await phone.close();
    phone = await Phone.open(browser(), system.apiUrl);

    await phone.page.goto(`${system.apiUrl}/app/activate?code=${activationCode}`);
    await phone.page.getByRole('heading', { name: 'This link doesn’t work' }).waitFor();
    const alert = await phone.page.getByRole('alert').innerText();
    expect(alert).toBe('This activation link has expired or was already used. Ask for a new one in your bank’s app.');
    expect(alert).not.toMatch(/\d{3}/);
    expect(await phone.screenshotAndAudit('15-link-used')).toEqual([]);
  });
});

/**
 * The push the worker really sends for a purchase. The browser cannot subscribe
 * to a push service here, so the app's device gets the Web Push stand-in's
 * subscription; the stand-in decrypts what the worker sent, and the test hands it
 * to the browser's service worker as a push service would.
 */
async function purchaseWithRealPush(phone: Phone, system: AssentUnderTest) {
  const { customerNumber } = await enrollThroughTheApp(phone, system);
  return { customerNumber, ...(await pushFor(system, customerNumber, phone)) };
}

async function pushFor(system: AssentUnderTest, customerNumber: string, phone: Phone) {
  const token = await phone.deviceToken();
  const subscription = system.pushService.createSubscription();
  await system
    .http()
    .put('/api/v1/device/push-subscription')
    .set('authorization', `Bearer ${token}`)
    .send({ pushSubscription: { endpoint: subscription.endpoint, keys: subscription.keys } })
    .expect(204);
  const sessionId = newSessionId();
  await system.webhook(customerNumber, sessionId).expect(200);
  const [message] = await system.pushService.waitForMessages((received) => received.subscriptionId === subscription.id && received.payload.sessionId === sessionId);
  return { sessionId, push: message.payload };
}
