/**
 * Which HTTP adapter should carry the webhook? Runs the real ApiModule on Fastify
 * and on NestJS's default Express adapter, and a bare node:http server that only
 * answers 200 (the ceiling), against the machine's Redis, with the same load, and
 * reports throughput and latency as ratios measured in the same run.
 *
 *   npm run build && node dist/bench/adapter-comparison.js
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { parseEnvironment } from '@assent/config';
import { REDIS } from '@assent/queue';
import { ApiModule } from '../apps/api/src/api.module';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CUSTOMER = '392492402';
const prefix = `bench${Date.now().toString(36)}`;

const env = parseEnvironment({
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/assent_test',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: prefix,
  LOG_LEVEL: 'silent',
  PUBLIC_BASE_URL: 'http://localhost:3000',
  ENFUCE_WEBHOOK_USERNAME: 'enfuce',
  ENFUCE_WEBHOOK_PASSWORD: 'bench',
  ENFUCE_CALLBACK_BASE_URL: 'http://127.0.0.1:9/v1/callback',
  ENFUCE_CALLBACK_USERNAME: 'assent',
  ENFUCE_CALLBACK_PASSWORD: 'bench',
  ISSUER_API_USERNAME: 'issuer',
  ISSUER_API_PASSWORD: 'bench',
  VAPID_PUBLIC_KEY: 'BOgvtnvvKW0p7-i0AjgH1HUOd8k80ItIDAoqe4KhgE6ld-ns72GD3nF0yPjFTJU8MQzDSRtPD7lAdy4zXXierXo',
  VAPID_PRIVATE_KEY: 'j5cye32RF9L8dFoh47HsViLCKoBOxXBunc9XkIPnXTc',
  VAPID_SUBJECT: 'mailto:bench@example.com',
  WEBAUTHN_RP_ID: 'localhost',
  WEBAUTHN_ORIGINS: 'http://localhost:3000',
  APPROVAL_TOKEN_SECRET: 'x'.repeat(32),
});

interface Result {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function load(name: string, port: number): Promise<Result> {
  const authorization = `Basic ${Buffer.from('enfuce:bench').toString('base64')}`;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          // Every request a new session, as Enfuce's traffic is.
          const sessionId = randomUUID();
          return {
            ...request,
            path: `/v1/authenticate/${CUSTOMER}/${sessionId}`,
            headers: { 'content-type': 'application/json', authorization },
            body: JSON.stringify({
              callbackUrl: `${env.ENFUCE_CALLBACK_BASE_URL}/bank/${CUSTOMER}/${sessionId}`,
              transaction: { amount: { amount: 3.14, currency: 'EUR' }, cardNumber: '342170______9554' },
              merchant: { name: 'Airline of the world inc.' },
            }),
          };
        },
      },
    ],
  });
  return { name, requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

async function bare(): Promise<Result> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const result = await load('bare node:http', (server.address() as AddressInfo).port);
  await new Promise((resolve) => server.close(resolve));
  return result;
}

async function nest(name: string, adapter: FastifyAdapter | ExpressAdapter): Promise<Result> {
  const app = await NestFactory.create(ApiModule.forRoot(env), adapter, { logger: false });
  await app.listen(0, '127.0.0.1');
  // After start-up, which rebuilds the device index from Postgres: this cardholder exists only for the run.
  await app.get<Redis>(REDIS).sadd(`${prefix}:devices:${CUSTOMER}`, 'bench-device');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  await load(`${name} (warm-up)`, port);
  const result = await load(name, port);
  await app.close();
  return result;
}

async function main(): Promise<void> {
  const redis = new Redis(env.REDIS_URL);
  try {
    const results = [await bare(), await nest('NestJS + Fastify', new FastifyAdapter({ bodyLimit: 65536 })), await nest('NestJS + Express', new ExpressAdapter())];
    const ceiling = results[0].requestsPerSecond;
    console.log(`\n${CONNECTIONS} connections, ${DURATION_SECONDS} s each, every request a new session\n`);
    console.log('| server | req/s | p50 ms | p99 ms | non-2xx | share of bare node:http |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const r of results) {
      console.log(`| ${r.name} | ${Math.round(r.requestsPerSecond)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${(r.requestsPerSecond / ceiling).toFixed(2)} |`);
    }
    console.log(`\nFastify / Express throughput: ${(results[1].requestsPerSecond / results[2].requestsPerSecond).toFixed(2)}`);
  } finally {
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    redis.disconnect();
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
