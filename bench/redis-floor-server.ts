/**
 * The floor under Assent's design: Fastify storing each webhook with exactly the
 * API's Redis work (SessionStore.create: the session's Lua script and the push and
 * timeout jobs' BullMQ adds) and doing nothing else: no NestJS, no authentication,
 * validation, security headers or log line. Between the bare server and this lies
 * the cost of the Redis work; between this and Assent, everything else. Started by
 * bench/webhook-ack.ts with the API's environment. Not shipped.
 */
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import { parseEnvironment } from '@assent/config';
import { bullPrefix, createRedis, QueueName } from '@assent/queue';
import { SessionStore } from '@assent/sessions';

interface Webhook {
  callbackUrl: string;
  transaction: { type: string; cardNumber: string; timestamp: string; amount: { amount: number; currency: string } };
  merchant: { name: string; country: string; url: string };
}

async function main(): Promise<void> {
  const env = parseEnvironment(process.env);
  const redis = createRedis(env, 'api');
  const queue = (name: QueueName) => new Queue(name, { connection: redis, prefix: bullPrefix(env.REDIS_KEY_PREFIX) });
  const sessions = new SessionStore(redis, env, queue(QueueName.Push), queue(QueueName.Timeout), queue(QueueName.Callback));
  await sessions.onModuleInit();

  const server = Fastify();
  server.post<{ Params: { customerNumber: string; sessionId: string }; Body: Webhook }>('/v1/authenticate/:customerNumber/:sessionId', async (request, reply) => {
    const { customerNumber, sessionId } = request.params;
    const { callbackUrl, transaction, merchant } = request.body;
    const { amount, ...rest } = transaction;
    const outcome = await sessions.create(
      { sessionId, customerNumber, institutionCode: 'bench', callbackUrl, receivedAt: Date.now(), transaction: { ...rest, amount: amount.amount, currency: amount.currency }, merchant },
      SessionStore.fingerprint({ customerNumber, body: request.body }),
    );
    return reply.code(outcome === 'created' || outcome === 'duplicate' ? 200 : 409).send();
  });
  server.get('/health/ready', async () => ({ status: 'ok' }));
  await server.listen({ port: env.PORT, host: '127.0.0.1' });
  process.on('SIGTERM', () => void server.close().then(() => redis.quit()).then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
