// Renders the app's PNG icons from its SVG with the machine's Chromium, once; the
// PNGs are committed (apps/pwa/public/icons), so builds need no browser.
// Run: node scripts/render-pwa-icons.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const DIR = 'apps/pwa/public/icons';
const icon = readFileSync(`${DIR}/icon.svg`, 'utf8');
const shield = icon.replace(/<rect[^>]*\/>/, '').replace(/^<svg[^>]*>|<\/svg>$/g, '');
const variants = {
  'icon-192.png': { size: 192, svg: icon },
  'icon-512.png': { size: 512, svg: icon },
  // Home screens crop maskable icons to a circle or squircle: full bleed, shield inside the safe zone.
  'icon-maskable-512.png': {
    size: 512,
    svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" fill="#1746c2"/><g transform="translate(51 51) scale(0.8)">${shield}</g></svg>`,
  },
  // iOS rounds the corners itself.
  'apple-touch-icon.png': {
    size: 180,
    svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" fill="#1746c2"/><g transform="translate(38 38) scale(0.85)">${shield}</g></svg>`,
  },
  // Android's status bar shows the badge as a white silhouette: the check is cut out of the shield.
  'badge-96.png': {
    size: 96,
    svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><mask id="m"><rect width="512" height="512" fill="#fff"/><path d="M192 262l46 46 86-96" fill="none" stroke="#000" stroke-width="38" stroke-linecap="round" stroke-linejoin="round"/></mask><path d="M256 60l164 58v122c0 110-70 178-164 212-94-34-164-102-164-212V118z" fill="#fff" mask="url(#m)"/></svg>`,
  },
};

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
for (const [file, { size, svg }] of Object.entries(variants)) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
  writeFileSync(`${DIR}/${file}`, await page.screenshot({ omitBackground: true }));
  console.log(`${DIR}/${file}`);
}
await browser.close();
