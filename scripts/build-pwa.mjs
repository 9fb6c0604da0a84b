// The last step of `npm run build`, after the type checks: bundles the cardholder app
// (apps/pwa) into dist/pwa, the files the API serves under /app/ (apps/api/src/pwa).
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const SOURCE = 'apps/pwa';
const OUT = 'dist/pwa';
// Phones of the last few years; iOS 15 is the oldest Safari with passkeys worth supporting.
const TARGET = ['es2020', 'safari15', 'chrome100', 'firefox100'];
const COMMON = { bundle: true, minify: true, target: TARGET, legalComments: 'none', logLevel: 'warning' };

rmSync(OUT, { recursive: true, force: true });
cpSync(`${SOURCE}/public`, OUT, { recursive: true });

// Content-hashed names: the API lets browsers keep these for a year.
const app = await esbuild.build({
  ...COMMON,
  entryPoints: { app: `${SOURCE}/src/main.tsx` },
  outdir: `${OUT}/assets`,
  entryNames: '[name]-[hash]',
  format: 'esm',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
});
const assets = Object.keys(app.metafile.outputs).map((file) => `/app/${relative(OUT, file)}`);
writeFileSync(
  `${OUT}/index.html`,
  readFileSync(`${SOURCE}/index.html`, 'utf8')
    .replace('{{script}}', assets.find((file) => file.endsWith('.js')))
    .replace('{{styles}}', assets.find((file) => file.endsWith('.css'))),
);

// The service worker keeps every file of this build for offline use. Its version is
// their content hash, so any change to the app installs a new worker.
const files = listFiles(OUT);
const version = createHash('sha256');
for (const file of files) version.update(file).update(readFileSync(join(OUT, file)));
await esbuild.build({
  ...COMMON,
  entryPoints: [`${SOURCE}/src/service-worker.ts`],
  outfile: `${OUT}/sw.js`,
  format: 'iife',
  define: {
    __PRECACHE__: JSON.stringify(['/app/', ...files.filter((file) => file !== 'index.html').map((file) => `/app/${file}`)]),
    __VERSION__: JSON.stringify(version.digest('hex').slice(0, 12)),
  },
});

// Compressed copies, sent to browsers that accept them (@fastify/static preCompressed).
const sizes = [];
for (const file of listFiles(OUT).filter((name) => /\.(js|css|html|webmanifest|svg)$/.test(name))) {
  const content = readFileSync(join(OUT, file));
  const brotli = brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  writeFileSync(join(OUT, `${file}.br`), brotli);
  writeFileSync(join(OUT, `${file}.gz`), gzipSync(content, { level: 9 }));
  sizes.push(`${file} ${(content.length / 1024).toFixed(1)} KiB (${(brotli.length / 1024).toFixed(1)} KiB brotli)`);
}
console.log(`pwa: ${sizes.join(', ')}`);

function listFiles(root, prefix = '') {
  return readdirSync(join(root, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(root, `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}
