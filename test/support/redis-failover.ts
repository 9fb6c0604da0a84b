/**
 * Redis deployments that fail over, built from redis-servers of the test's own on
 * free ports (ThrowawayRedis, which kills whatever is left when the test process
 * exits): a primary and a replica watched by three Sentinels, and a Cluster of
 * three primaries with a replica each. Nothing is kept on disk, and failure is
 * detected after 1 s instead of production's tens of seconds, so that a test can
 * wait for a failover.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { ThrowawayRedis } from './throwaway-redis';

const DOWN_AFTER_MS = 1000;
const SENTINEL_MASTER_NAME = 'assent';

/** Asks one server something, on a connection of its own that gives up at once if the server is gone. */
async function ask<T>(server: ThrowawayRedis, ...command: (string | number)[]): Promise<T> {
  const client = new Redis(server.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => undefined);
  try {
    return (await client.call(String(command[0]), ...command.slice(1))) as T;
  } finally {
    client.disconnect();
  }
}

/** A `field:value` line of an INFO or CLUSTER INFO answer. */
function infoField(info: string, field: string): string | undefined {
  return new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await condition().catch(() => false)) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

/** Starts servers one after another; if one fails to start, stops those already running. */
async function startAll(count: number, start: (index: number) => Promise<ThrowawayRedis>, started: ThrowawayRedis[]): Promise<ThrowawayRedis[]> {
  const servers: ThrowawayRedis[] = [];
  for (let i = 0; i < count; i++) {
    const server = await start(i);
    started.push(server);
    servers.push(server);
  }
  return servers;
}

export class ThrowawaySentinels {
  private constructor(
    readonly primary: ThrowawayRedis,
    readonly replica: ThrowawayRedis,
    readonly sentinels: ThrowawayRedis[],
  ) {}

  /** Ready once the replica is in sync and every Sentinel knows the replica and the other Sentinels. */
  static async start(): Promise<ThrowawaySentinels> {
    const started: ThrowawayRedis[] = [];
    try {
      const [primary] = await startAll(1, () => ThrowawayRedis.start({ persistent: false }), started);
      const [replica] = await startAll(1, () => ThrowawayRedis.start({ persistent: false, args: ['--replicaof', '127.0.0.1', String(primary.port)] }), started);
      // Quorum 2 of 3: two Sentinels must agree the primary is down, and a majority elects the one that fails it over.
      const config = () =>
        [
          `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${primary.port} 2`,
          `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} ${DOWN_AFTER_MS}`,
          `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 5000`,
        ].join('\n');
      const sentinels = await startAll(3, () => ThrowawayRedis.start({ persistent: false, args: ['--sentinel'], config }), started);
      const deployment = new ThrowawaySentinels(primary, replica, sentinels);
      await waitFor('replica in sync', async () => infoField(await ask(replica, 'INFO', 'replication'), 'master_link_status') === 'up', 10000);
      await waitFor(
        'Sentinels knowing one another and the replica',
        async () => {
          for (const sentinel of sentinels) {
            const master = pairs(await ask<string[]>(sentinel, 'SENTINEL', 'MASTER', SENTINEL_MASTER_NAME));
            if (master['num-slaves'] !== '1' || master['num-other-sentinels'] !== '2') return false;
          }
          return true;
        },
        20000,
      );
      return deployment;
    } catch (error) {
      await Promise.all(started.map((server) => server.stop()));
      throw error;
    }
  }

  /** The service's configuration for these Sentinels. */
  get env(): Record<string, string> {
    return {
      REDIS_SENTINELS: this.sentinels.map((sentinel) => sentinel.address).join(','),
      REDIS_SENTINEL_MASTER_NAME: SENTINEL_MASTER_NAME,
    };
  }

  /** The port of the primary the Sentinels name now. */
  async primaryPort(): Promise<number> {
    const [, port] = await ask<[string, string]>(this.sentinels[0], 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER_NAME);
    return Number(port);
  }

  /** Waits until the Sentinels name the replica as the primary and it takes writes; the time it took. */
  waitForPromotion(timeoutMs = 30000): Promise<number> {
    return waitFor(
      'promotion of the replica',
      async () => (await this.primaryPort()) === this.replica.port && infoField(await ask(this.replica, 'INFO', 'replication'), 'role') === 'master',
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    await Promise.all([this.primary, this.replica, ...this.sentinels].map((server) => server.stop()));
  }
}

export class ThrowawayCluster {
  private constructor(readonly nodes: ThrowawayRedis[]) {}

  /** Ready once every node sees the cluster as whole and every replica is in sync with its primary. */
  static async start(): Promise<ThrowawayCluster> {
    const started: ThrowawayRedis[] = [];
    try {
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(DOWN_AFTER_MS)];
      const nodes = await startAll(6, () => ThrowawayRedis.start({ persistent: false, args }), started);
      await promisify(execFile)('redis-cli', ['--cluster', 'create', ...nodes.map((node) => node.address), '--cluster-replicas', '1', '--cluster-yes']);
      const cluster = new ThrowawayCluster(nodes);
      await waitFor(
        'the cluster to form',
        async () => {
          for (const node of nodes) {
            const info = await ask<string>(node, 'CLUSTER', 'INFO');
            if (infoField(info, 'cluster_state') !== 'ok' || infoField(info, 'cluster_known_nodes') !== '6') return false;
            const replication = await ask<string>(node, 'INFO', 'replication');
            if (infoField(replication, 'role') === 'slave' && infoField(replication, 'master_link_status') !== 'up') return false;
          }
          return true;
        },
        20000,
      );
      return cluster;
    } catch (error) {
      await Promise.all(started.map((server) => server.stop()));
      throw error;
    }
  }

  /** The service's configuration for this Cluster. */
  get env(): Record<string, string> {
    return { REDIS_CLUSTER_NODES: this.nodes.map((node) => node.address).join(',') };
  }

  /** The node serving `slot` as primary and its replicas, as `observer` (a live node) sees it. */
  async serving(slot: number, observer = this.nodes.find((node) => node.running)!): Promise<{ primary: ThrowawayRedis; replicas: ThrowawayRedis[] }> {
    const ranges = await ask<[number, number, ...[string, number, string][]][]>(observer, 'CLUSTER', 'SLOTS');
    const range = ranges.find(([first, last]) => first <= slot && slot <= last);
    if (!range) throw new Error(`slot ${slot} is served by no node`);
    const [, , primary, ...replicas] = range;
    const node = ([, port]: [string, number, string]) => this.nodes.find((candidate) => candidate.port === Number(port))!;
    return { primary: node(primary), replicas: replicas.map(node) };
  }

  /** Waits until every live node sees `slot` served by another primary than `failed`, and the cluster whole again; the time it took. */
  waitForFailover(slot: number, failed: ThrowawayRedis, timeoutMs = 30000): Promise<number> {
    return waitFor(
      `failover of slot ${slot}`,
      async () => {
        for (const node of this.nodes.filter((candidate) => candidate.running)) {
          if ((await this.serving(slot, node)).primary === failed) return false;
          if (infoField(await ask(node, 'CLUSTER', 'INFO'), 'cluster_state') !== 'ok') return false;
        }
        return true;
      },
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
  }
}

/** SENTINEL MASTER answers a flat [field, value, field, value, …] list. */
function pairs(list: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) record[list[i]] = list[i + 1];
  return record;
}
