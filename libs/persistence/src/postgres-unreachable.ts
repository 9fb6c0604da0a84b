// What the pg driver (through TypeORM) throws when it cannot reach Postgres or loses
// its connection, as opposed to a query Postgres refused.
const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Connection terminated|timeout exceeded when trying to connect|not queryable|the database system is (starting up|shutting down)|terminating connection/i;

export function isPostgresUnreachable(error: unknown): boolean {
  // Duck-typed rather than instanceof Error: errors from Node's own sockets may come from another realm (a test's vm).
  if (typeof error !== 'object' || error === null) return false;
  const { message, code } = error as { message?: unknown; code?: unknown };
  return UNREACHABLE.test(String(message ?? '')) || UNREACHABLE.test(String(code ?? '')) || /^57P0[1-3]$/.test(String(code ?? ''));
}
