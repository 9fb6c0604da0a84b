import { ConfigError, parseSandboxEnvironment } from '@assent/config';
import { buildSandbox } from './sandbox';

async function bootstrap(): Promise<void> {
  const env = parseSandboxEnvironment(process.env);
  const { app, cardholders, close } = buildSandbox(env);
  await app.listen({ port: env.SANDBOX_PORT, host: '0.0.0.0' });
  app.log.info({ url: env.SANDBOX_PUBLIC_URL, authenticator: env.SANDBOX_AUTHENTICATOR_URL }, 'Sandbox listening');
  cardholders.enrollInBackground();

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    close();
    // Event streams to open shop pages would otherwise hold the server open.
    setTimeout(() => process.exit(0), 2000).unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

bootstrap().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
