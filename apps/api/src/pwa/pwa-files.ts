import { Injectable, Logger } from '@nestjs/common';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where `npm run build` puts the cardholder app (scripts/build-pwa.mjs): dist/pwa, beside dist/apps. */
export const PWA_ROOT = resolve(__dirname, '..', '..', '..', '..', 'pwa');

export const APP_SHELL = 'index.html';

/**
 * The built cardholder app, listed once at start: only these files are served, so
 * no request path ever reaches the file system unchecked.
 */
@Injectable()
export class PwaFiles {
  private readonly logger = new Logger(PwaFiles.name);
  private readonly files: Set<string>;

  constructor() {
    // The .br/.gz siblings are picked by Accept-Encoding, never named in a URL.
    this.files = new Set(listFiles(PWA_ROOT).filter((file) => !/\.(br|gz)$/.test(file)));
    if (!this.files.has(APP_SHELL)) this.logger.warn({ msg: 'The cardholder app is not built; /app/ answers 404', root: PWA_ROOT });
  }

  /**
   * The file that answers a path under /app/: the file itself, or the app shell
   * for any other path without an extension (the app's own routes, such as
   * /app/challenges/{sessionId}); null for a missing asset.
   */
  fileFor(path: string): string | null {
    if (this.files.has(path)) return path;
    if (/\.[A-Za-z0-9]+$/.test(path) || !this.files.has(APP_SHELL)) return null;
    return APP_SHELL;
  }
}

/**
 * Content-hashed assets never change; icons rarely do; the shell, the service
 * worker and the manifest are revalidated on every load so a new version shows.
 */
export function cacheControlFor(file: string): string {
  if (file.startsWith('assets/')) return 'public, max-age=31536000, immutable';
  if (file.startsWith('icons/')) return 'public, max-age=86400';
  return 'no-cache';
}

/**
 * The approval screen is where money moves: it must not be framed (clickjacking),
 * run scripts from elsewhere, or leak the activation code in a Referer.
 */
export const APP_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function listFiles(root: string, prefix = ''): string[] {
  let entries;
  try {
    entries = readdirSync(join(root, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) =>
    entry.isDirectory() ? listFiles(root, `${prefix}${entry.name}/`) : entry.isFile() ? [`${prefix}${entry.name}`] : [],
  );
}
