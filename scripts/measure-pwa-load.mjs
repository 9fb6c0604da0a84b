// How long the cardholder app takes to show its first screen on a phone-sized,
// throttled Chromium: cold (nothing cached) and warm (opened again from its service
// worker's cache, as a cardholder opens it day to day).
// Needs a running API (npm run dev); run: node scripts/measure-pwa-load.mjs [http://localhost:3000/app/]
import { chromium } from 'playwright-core';

const url = process.argv[2] ?? 'http://localhost:3000/app/';
const RUNS = 5;
// DevTools' presets: a mid-range phone is about 4x slower than this machine's CPU.
const PROFILES = {
  'no throttling': null,
  '4G, 4x slower CPU': { latency: 60, downloadBps: 9e6, uploadBps: 1.5e6, cpu: 4 },
  'slow 4G, 4x slower CPU': { latency: 150, downloadBps: 1.6e6, uploadBps: 0.75e6, cpu: 4 },
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
for (const [name, profile] of Object.entries(PROFILES)) {
  const cold = [];
  const warm = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
    const page = await context.newPage();
    if (profile) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: profile.latency, downloadThroughput: profile.downloadBps / 8, uploadThroughput: profile.uploadBps / 8 });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
    }
    cold.push(await firstScreen(page));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await firstScreen(page);
    warm.push(await firstScreen(page));
    await context.close();
  }
  console.log(`${name}: first screen cold ${median(cold)} ms, warm ${median(warm)} ms (median of ${RUNS})`);
}
await browser.close();

/** Milliseconds from navigation start until the screen's heading is on the page. */
async function firstScreen(page) {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector('h1');
  return page.evaluate(() => Math.round(performance.now()));
}

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
