/**
 * `npm run admin:create -- --email ops@bank.example --role admin`: creates a
 * dashboard user. The password is asked for twice on a terminal (not echoed), or
 * read from the first line of standard input when piped, never from the command
 * line, where it would stay in the shell history and show in `ps`.
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AssentError } from '@assent/domain';
import { AdminUser, AuditEvent, AuditLog, dataSourceOptions, DeferredRecords } from '@assent/persistence';
import { AdminUsersService } from './users/admin-users.service';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, role: { type: 'string', default: 'viewer' } } });
  if (!values.email) throw new UsageError('--email is required');
  // Like `npm run dev`: the local configuration, unless the environment names a database.
  if (!process.env.DATABASE_URL) process.loadEnvFile(existsSync('.env') ? '.env' : '.env.example');
  const password = process.stdin.isTTY ? await askTwice() : await firstLineOfStdin();
  const dataSource = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!)).initialize();
  try {
    // The CLI has no queue to defer audit rows to: a write that fails fails the command.
    const writeNow = { writeOrDefer: (_record: unknown, write: () => Promise<unknown>) => write().then(() => undefined) } as DeferredRecords;
    const users = new AdminUsersService(dataSource.getRepository(AdminUser), new AuditLog(dataSource.getRepository(AuditEvent), writeNow));
    const user = await users.create({ email: values.email, role: values.role, password }, { actor: `cli:${userInfo().username}` });
    console.log(`Created ${user.role} ${user.email}. Sign in at /admin/`);
  } finally {
    await dataSource.destroy();
  }
}

class UsageError extends Error {}

async function askTwice(): Promise<string> {
  const password = await askHidden('Password (at least 12 characters): ');
  if ((await askHidden('Again: ')) !== password) throw new UsageError('the two passwords differ');
  return password;
}

/** Reads a line from the terminal without echoing it. */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    let typed = '';
    process.stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done(() => resolve(typed));
        if (char === '\u0003') return done(() => reject(new UsageError('cancelled')));
        typed = char === '\u007f' || char === '\b' ? typed.slice(0, -1) : typed + char;
      }
    };
    const done = (finish: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write('\n');
      finish();
    };
    stdin.on('data', onData);
  });
}

async function firstLineOfStdin(): Promise<string> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  return input.split(/\r?\n/)[0];
}

main().catch((error) => {
  if (error instanceof AssentError) console.error(`Not created: ${error.message}`);
  else if (error instanceof UsageError) console.error(`${error.message}\nUsage: npm run admin:create -- --email EMAIL --role viewer|operator|admin`);
  else console.error(error);
  process.exit(1);
});
