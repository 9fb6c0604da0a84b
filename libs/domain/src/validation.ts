import { z } from 'zod';
import { AssentError } from './errors';

/** Parses with a zod schema and reports the first problem as a JSON path (`$.transaction.amount.currency`). */
export function parseOrReject<T>(schema: z.ZodType<T>, value: unknown, root = '$'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = jsonPathOf(issue.path, root);
  const message = issue.code === 'invalid_type' && valueAt(value, issue.path) === undefined ? 'is required' : issue.message;
  throw AssentError.validation(path, `${path} ${message}`);
}

/** A zod issue's path as a JSON path: `$.transaction.amount.currency`, `$.items[0]`. */
export function jsonPathOf(path: readonly PropertyKey[], root = '$'): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), root);
}

/** The value at a zod issue's path, undefined where the path leads nowhere. */
export function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), value);
}
