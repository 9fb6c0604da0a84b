// Bundles the operations dashboard (apps/dashboard) into dist/apps/dashboard, which
// the API serves under /admin/. Type checking is tsc's job (npm run build runs it first).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';

const out = 'dist/apps/dashboard';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: 'apps/dashboard/src/main.tsx' },
  outdir: out,
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  logLevel: 'warning',
});
copyFileSync('apps/dashboard/index.html', `${out}/index.html`);
