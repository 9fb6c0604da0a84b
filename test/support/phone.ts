/// <reference lib="dom" />
/**
 * A phone for browser tests: headless Chromium from Debian (shared/machine.md) with a
 * phone-sized viewport, a DevTools virtual authenticator standing in for the
 * phone's fingerprint/face passkey, and the DevTools hooks the app's service worker
 * needs to be tested: push delivery and notifications.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, CDPSession, chromium, Page } from 'playwright-core';
import { AssentUnderTest, newCustomerNumber } from './assent-under-test';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ANDROID_CHROME = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36';
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-results', 'screenshots');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  actions: { action: string; title: string }[];
  data: { url?: string; sessionId?: string };
}

/** One headless Chromium for a whole spec file, launched before its tests and closed after them. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('The browser is launched in beforeAll; use it inside tests and hooks');
    return browser;
  };
}

export class Phone {
  private readonly registrations = new Map<string, string>();
  /** What the service worker reported going wrong, to explain a missing notification. */
  private readonly workerErrors: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly cdp: CDPSession,
    private readonly origin: string,
  ) {}

  /**
   * A fresh phone (its own storage, service worker and passkeys). Notifications are
   * allowed for `origin` unless `notifications` is false; then the browser refuses
   * them as if the cardholder had blocked them.
   */
  static async open(browser: Browser, origin: string, options: { locale?: string; notifications?: boolean } = {}): Promise<Phone> {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      userAgent: ANDROID_CHROME,
      locale: options.locale ?? 'en-GB',
      serviceWorkers: 'allow',
    });
    context.setDefaultTimeout(15000);
    if (options.notifications !== false) await context.grantPermissions(['notifications'], { origin });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const phone = new Phone(context, page, cdp, origin);
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      for (const registration of registrations) {
        if (registration.isDeleted) phone.registrations.delete(registration.scopeURL);
        else phone.registrations.set(registration.scopeURL, registration.registrationId);
      }
    });
    cdp.on('ServiceWorker.workerErrorReported', ({ errorMessage }) => phone.workerErrors.push(`${errorMessage.errorMessage} (${errorMessage.sourceURL}:${errorMessage.lineNumber})`));
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions) phone.workerErrors.push(`worker ${version.versionId}: ${version.status} ${version.runningStatus}`);
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return phone;
  }

  close(): Promise<void> {
    return this.context.close();
  }

  /**
   * Saves the current screen to test-results/screenshots (for a person to look at)
   * and returns what axe-core finds wrong with it by the WCAG 2.1 A and AA rules
   * (labels, contrast, roles, names), as "rule: element" lines.
   */
  async screenshotAndAudit(name: string): Promise<string[]> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await this.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
    // Evaluated over DevTools, which the app's Content-Security-Policy does not govern.
    await this.page.evaluate(AXE_SOURCE);
    return this.page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const { violations } = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
      return violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    });
  }

  /** Waits until the app's service worker is active and controls the page. */
  async serviceWorkerReady(): Promise<void> {
    await this.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      }
    });
  }

  /** What a push service would hand the browser: the message, to the app's service worker. */
  async deliverPush(payload: unknown): Promise<void> {
    await this.serviceWorkerReady();
    const registrationId = this.registrations.get(`${this.origin}/app/`);
    if (!registrationId) throw new Error(`No service worker registration for ${this.origin}/app/: ${[...this.registrations.keys()].join(', ')}`);
    await this.cdp.send('ServiceWorker.deliverPushMessage', { origin: this.origin, registrationId, data: JSON.stringify(payload) });
  }

  /** The notifications the app's service worker is showing. */
  notifications(): Promise<ShownNotification[]> {
    return this.page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return (await registration.getNotifications()).map((n) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        actions: ((n as unknown as { actions?: { action: string; title: string }[] }).actions ?? []).map(({ action, title }) => ({ action, title })),
        data: n.data,
      }));
    });
  }

  async waitForNotification(predicate: (notification: ShownNotification) => boolean, timeoutMs = 20000): Promise<ShownNotification> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.notifications()).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`No such notification within ${timeoutMs} ms: ${JSON.stringify(await this.notifications())}; service worker: ${this.workerErrors.join('; ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Taps a notification (or one of its buttons). DevTools cannot click an OS
   * notification, so this fires the service worker's own notificationclick handler
   * with the real notification; what it cannot give is the user activation of a
   * real tap, so the worker's window.focus() is refused, and the app must not need it.
   */
  async tapNotification(tag: string, action = ''): Promise<void> {
    const worker = this.context.serviceWorkers().find((candidate) => candidate.url().endsWith('/app/sw.js'));
    if (!worker) throw new Error('The app has no service worker');
    await worker.evaluate(
      async ({ tag, action }) => {
        const scope = self as unknown as { registration: ServiceWorkerRegistration; dispatchEvent(event: Event): boolean };
        const [notification] = await scope.registration.getNotifications({ tag });
        if (!notification) throw new Error(`No notification tagged ${tag}`);
        const NotificationEventClass = (self as unknown as { NotificationEvent: new (type: string, init: object) => Event }).NotificationEvent;
        const event = new NotificationEventClass('notificationclick', { notification, action });
        // Chromium refuses waitUntil on a script-made event (it throws InvalidStateError, and
        // the worker's work runs unwatched, so the worker may stop mid-way). For a real tap the
        // browser keeps the worker alive until those promises settle; this does the same, and
        // the tap is over when the worker's work is.
        const pending: Promise<unknown>[] = [];
        Object.defineProperty(event, 'waitUntil', { value: (promise: Promise<unknown>) => pending.push(promise) });
        scope.dispatchEvent(event);
        await Promise.all(pending);
      },
      { tag, action },
    );
  }

  /** The device token the app stored when it enrolled, as its service worker reads it. */
  deviceToken(): Promise<string | undefined> {
    return this.page.evaluate(
      () =>
        new Promise<string | undefined>((resolve, reject) => {
          const open = indexedDB.open('assent');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const read = open.result.transaction('device').objectStore('device').get('device');
            read.onerror = () => reject(read.error);
            read.onsuccess = () => resolve((read.result as { deviceToken?: string } | undefined)?.deviceToken);
          };
        }),
    );
  }
}

/** Enrolls the phone through the app's own screens, without notifications (this browser can reach no push service). */
export async function enrollThroughTheApp(
  phone: Phone,
  system: AssentUnderTest,
  options: { name?: string; customerNumber?: string; activationCode?: string } = {},
) {
  const customerNumber = options.customerNumber ?? newCustomerNumber();
  const activationCode = options.activationCode ?? (await system.activationCode(customerNumber));
  const { page } = phone;
  await page.goto(`${system.apiUrl}/app/activate?code=${activationCode}`);
  await page.getByLabel('Name of this device').fill(options.name ?? 'Test phone');
  await page.getByRole('button', { name: 'Create passkey' }).click();
  await page.getByRole('button', { name: 'Not now' }).click();
  await page.getByRole('heading', { name: 'This device is ready' }).waitFor();
  const token = await phone.deviceToken();
  if (!token) throw new Error('The app did not store its device token');
  return { customerNumber, token };
}
