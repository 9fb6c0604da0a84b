import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseEnvironment } from '@assent/config';
import { queueDepth } from '@assent/metrics';
import { QueueName } from '@assent/queue';

/**
 * kubeconform cannot be installed here, so this checks what a wrong manifest would
 * break in production: kinds and API versions, probes on the paths and ports the
 * processes serve, resource requests, configuration from the ConfigMap and Secret
 * that is complete enough for the service to start.
 */
const DIR = __dirname;
const manifests = readdirSync(DIR)
  .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
  .flatMap((file) => parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((document) => ({ file, ...(document.toJS() as any) })));
const byKind = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata?.name === name);
const API_VERSIONS: Record<string, string> = {
  Deployment: 'apps/v1',
  Service: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Job: 'batch/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  PodDisruptionBudget: 'policy/v1',
};

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  it('uses a known apiVersion for every kind and names every object', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(9);
    for (const manifest of manifests) {
      expect({ kind: manifest.kind, apiVersion: manifest.apiVersion }).toEqual({ kind: manifest.kind, apiVersion: API_VERSIONS[manifest.kind] });
      expect(manifest.metadata.name).toMatch(/^[a-z0-9-]+$/);
    }
  });

  it('lists every manifest but the example Secret in the kustomization', () => {
    const { resources } = parseAllDocuments(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'))[0].toJS();
    expect([...resources].sort()).toEqual([...new Set(manifests.map((m) => m.file))].filter((file) => file !== 'secret.example.yaml').sort());
  });

  it.each([
    ['assent-api', 'dist/apps/api/src/main.js', 3000],
    ['assent-worker', 'dist/apps/worker/src/main.js', 3001],
  ])('runs %s with probes on /health/ready and /health/live of its port, and resource requests', (name, entry, port) => {
    const deployment = byKind('Deployment', name);
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    const [container] = deployment.spec.template.spec.containers;
    expect(container.command).toEqual(['node', entry]);
    const namedPort = container.ports.find((p: any) => p.containerPort === port);
    expect(namedPort).toBeDefined();
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: namedPort.name });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: namedPort.name });
    expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'assent-config' } }, { secretRef: { name: 'assent-secrets' } }]);
    const budget = manifests.find((m) => m.kind === 'PodDisruptionBudget' && m.metadata.name === name);
    expect(budget.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
  });

  it('scales the worker on CPU with an HPA aimed at its Deployment', () => {
    const hpa = byKind('HorizontalPodAutoscaler', 'assent-worker');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'assent-worker' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
  });

  it('migrates with the migration command, from the same configuration', () => {
    const job = byKind('Job', 'assent-migrate');
    const [container] = job.spec.template.spec.containers;
    expect(container.command).toEqual(['node', 'dist/libs/persistence/src/run-migrations.js']);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('configures the worker and API port the probes use, and every variable the service requires', () => {
    const config = byKind('ConfigMap', 'assent-config').data;
    expect(config.PORT).toBe('3000');
    expect(config.WORKER_HEALTH_PORT).toBe('3001');
    const secret = byKind('Secret', 'assent-secrets').stringData;
    // With the placeholders filled in as valid values, the service's own validation accepts the configuration.
    const filled = Object.fromEntries(Object.entries<string>(secret).map(([key, value]) => [key, value === 'CHANGE_ME' ? PLACEHOLDER_VALUES[key] ?? 'a-placeholder-value-of-length-32+' : value]));
    expect(() => parseEnvironment({ ...config, ...filled })).not.toThrow();
  });
});

const PLACEHOLDER_VALUES: Record<string, string> = {
  VAPID_PUBLIC_KEY: 'B'.repeat(87),
  VAPID_PRIVATE_KEY: 'k'.repeat(43),
};

describe('the optional queue-depth scaling component (deploy/kubernetes/queue-depth-scaling)', () => {
  const COMPONENT = join(DIR, 'queue-depth-scaling');
  const component = parseAllDocuments(readFileSync(join(COMPONENT, 'kustomization.yaml'), 'utf8'))[0].toJS();
  const scaledObject = parseAllDocuments(readFileSync(join(COMPONENT, 'worker-scaledobject.yaml'), 'utf8'))[0].toJS();
  const cpuHpa = byKind('HorizontalPodAutoscaler', 'assent-worker');

  it('is a kustomize Component, left out of the base until an operator opts in', () => {
    expect(component).toMatchObject({ apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component', resources: ['worker-scaledobject.yaml'] });
    const base = parseAllDocuments(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'))[0].toJS();
    expect(base.components).toBeUndefined();
  });

  it('removes the CPU-only HPA, since KEDA makes its own and two autoscalers on one Deployment fight', () => {
    const [deletion] = component.patches.map((patch: { patch: string }) => parseAllDocuments(patch.patch)[0].toJS());
    expect(deletion).toEqual({ $patch: 'delete', apiVersion: cpuHpa.apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name: cpuHpa.metadata.name } });
  });

  it('scales the worker Deployment within the same bounds and on the same CPU target as the HPA it replaces', () => {
    expect(scaledObject).toMatchObject({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'assent-worker' } });
    expect(scaledObject.spec.scaleTargetRef).toEqual(cpuHpa.spec.scaleTargetRef);
    expect([scaledObject.spec.minReplicaCount, scaledObject.spec.maxReplicaCount]).toEqual([cpuHpa.spec.minReplicas, cpuHpa.spec.maxReplicas]);
    const cpu = scaledObject.spec.triggers.find((trigger: any) => trigger.type === 'cpu');
    expect(cpu).toEqual({ type: 'cpu', metricType: 'Utilization', metadata: { value: String(cpuHpa.spec.metrics[0].resource.target.averageUtilization) } });
  });

  it('adds the waiting jobs of real queues, from the metric the processes export, counted once however many pods report it', () => {
    const prometheus = scaledObject.spec.triggers.find((trigger: any) => trigger.type === 'prometheus');
    expect(prometheus.metadata).toEqual({ serverAddress: expect.stringMatching(/^https?:\/\//), query: expect.any(String), threshold: expect.stringMatching(/^\d+$/), ignoreNullValues: 'false' });
    const query: string = prometheus.metadata.query;
    const metricName = (queueDepth as unknown as { name: string }).name;
    expect(query).toMatch(new RegExp(`^sum\\(max by \\(queue\\) \\(${metricName}\\{.*state="waiting".*\\}\\)\\)$`));
    const queues = /queue=~"([^"]+)"/.exec(query)![1].split('|');
    expect(queues.every((queue) => (Object.values(QueueName) as string[]).includes(queue))).toBe(true);
  });
});
