import { z } from 'zod';
import { AssentError } from '@assent/domain';
import type { Page } from './admin-api.types';

/** Raw SQL with its parameters: what a list runs, and what the index test EXPLAINs. */
export interface SqlQuery {
  text: string;
  values: unknown[];
}

export const limitSchema = z.coerce.number().int().min(1).max(200).default(50);

export const cursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a cursor from a previous page').optional();

/**
 * Keyset pagination: a cursor is the sort key of the last row shown, so each page
 * is one index range scan however deep the reader pages, unlike OFFSET.
 */
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string): (string | number)[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.every((part) => typeof part === 'string' || typeof part === 'number')) return key;
  } catch {
    // reported below
  }
  throw AssentError.validation('$.query.cursor', '$.query.cursor must be a cursor from a previous page');
}

/** Builds a page from `limit + 1` rows: the extra row only tells that there is a next page. */
export function pageOf<Row, Item>(rows: Row[], limit: number, item: (row: Row) => Item, key: (row: Row) => (string | number)[]): Page<Item> {
  const items = rows.slice(0, limit);
  return { items: items.map(item), nextCursor: rows.length > limit ? encodeCursor(key(items[items.length - 1])) : null };
}

/** A LIKE pattern that matches `text` literally anywhere. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** A LIKE pattern that matches whatever starts with `text`. */
export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** Collects WHERE conditions with numbered parameters. */
export class Conditions {
  readonly values: unknown[] = [];
  private readonly clauses: string[] = [];

  add(clause: (param: (value: unknown) => string) => string): void {
    this.clauses.push(clause((value) => `$${this.values.push(value)}`));
  }

  param(value: unknown): string {
    return `$${this.values.push(value)}`;
  }

  where(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}
