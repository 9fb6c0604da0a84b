import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * There is no Docker engine here to run `docker compose config`, so this checks the
 * shape of docker-compose.yml that running several replicas depends on: two API
 * replicas behind the load balancer that alone publishes the public port, two
 * workers, and a health check on every long-running service.
 */
const ROOT = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
const services: Record<string, any> = compose.services;
const haproxy = readFileSync(join(__dirname, 'haproxy.cfg'), 'utf8');
const publicBaseUrl = /^PUBLIC_BASE_URL=(.*)$/m.exec(readFileSync(join(ROOT, '.env.example'), 'utf8'))![1];

describe('docker-compose.yml', () => {
  it.each(['api', 'worker'])('runs two %s replicas, configured for the Compose network', (name) => {
    expect(services[name].deploy.replicas).toBe(2);
    expect(services[name].environment).toMatchObject({ DATABASE_URL: expect.stringContaining('@postgres:5432/'), REDIS_URL: 'redis://redis:6379' });
    expect(services[name].container_name).toBeUndefined();
  });

  it('publishes the one public origin through the load balancer, never from an API replica', () => {
    expect(services.api.ports).toBeUndefined();
    const published = Object.entries(services).filter(([, service]) => service.ports).map(([name, service]) => [name, service.ports]);
    expect(published).toEqual([['load-balancer', [`${new URL(publicBaseUrl).port}:3000`]]]);
    expect(services['load-balancer'].volumes).toEqual(['./deploy/compose/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro']);
    // Behind one proxy hop the API must trust one hop, or every client shares the balancer's IP in the per-IP limits.
    expect(services.api.environment.TRUST_PROXY_HOPS).toBe('1');
  });

  it('balances over the API service by DNS, health-checking each replica on /health/ready', () => {
    expect(haproxy).toMatch(/^\s*bind :3000$/m);
    expect(haproxy).toMatch(/^\s*option httpchk GET \/health\/ready$/m);
    expect(haproxy).toMatch(/^\s*server-template api- \d+ api:3000 resolvers docker .*init-addr none$/m);
    expect(haproxy).toMatch(/^\s*option forwardfor$/m);
  });

  it('health-checks every long-running service and depends only on services it defines', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'migrate') expect({ name, test: service.healthcheck?.test }).toEqual({ name, test: expect.any(Array) });
      for (const dependency of Object.keys(service.depends_on ?? {})) expect(Object.keys(services)).toContain(dependency);
      for (const volume of service.volumes ?? []) {
        const source = String(volume).split(':')[0];
        if (source.startsWith('./')) expect(existsSync(join(ROOT, source))).toBe(true);
      }
    }
  });
});
