import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { validateConfig } from '@turnout/config';

/**
 * deploy/kubernetes as CI can check it without a cluster: `kubectl kustomize` (Debian's
 * kubernetes-client, installed by .ci/run) renders the base and the overlay, every object is
 * validated against the Kubernetes API schemas (deploy/kubernetes/validate.mjs, kubernetes-models),
 * and the objects are held to what the gateway needs of them.
 */
const ROOT = join(__dirname, '..', '..');
const KUBERNETES = join(ROOT, 'deploy', 'kubernetes');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: Record<string, string>;
}

function render(dir: string): { text: string; objects: K8sObject[] } {
  const text = execFileSync('kubectl', ['kustomize', join(KUBERNETES, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { text, objects: parseAllDocuments(text).map((doc) => doc.toJS() as K8sObject) };
}

function validate(text: string): { code: number; output: string } {
  try {
    return { code: 0, output: execFileSync(process.execPath, [join(KUBERNETES, 'validate.mjs')], { input: text, encoding: 'utf8', cwd: ROOT }) };
  } catch (error) {
    const failed = error as { status: number; stdout: string };
    return { code: failed.status, output: failed.stdout };
  }
}

const one = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  expect(found).toBeDefined();
  return found as K8sObject;
};

const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined) =>
  Object.entries(selector).every(([key, value]) => labels?.[key] === value);

describe.each([
  ['base', 1, false],
  ['overlays/replicas-with-redis', 2, true],
])('kubectl kustomize deploy/kubernetes/%s', (dir, replicas, withRedis) => {
  const { text, objects } = render(dir);

  it('renders objects that all pass the Kubernetes API schemas', () => {
    const result = validate(text);
    expect(result.output).not.toContain('INVALID');
    expect(result.code).toBe(0);
    expect(result.output.trim().split('\n')).toHaveLength(objects.length);
    expect(objects.map((o) => o.kind).sort()).toEqual(
      expect.arrayContaining(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Service', 'ServiceMonitor']),
    );
  });

  it('runs the gateway non-root with liveness on /health and readiness on /ready, keys from a Secret', () => {
    const deployment = one(objects, 'Deployment', 'turnout');
    expect(deployment.spec.replicas).toBe(replicas);
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(container.ports).toEqual([{ name: 'http', containerPort: 4000 }]);
    expect(container.envFrom).toEqual([{ secretRef: { name: 'turnout-secrets', optional: true } }]);
    expect(container.env).toEqual(expect.arrayContaining([{ name: 'HOST', value: '0.0.0.0' }]));
    expect(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
    // The grace period outlasts the gateway's own drain (TURNOUT_SHUTDOWN_GRACE_MS, 25 s).
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(25);
  });

  it('mounts a ConfigMap whose turnout.yaml the gateway accepts, at the path it is started with', () => {
    const deployment = one(objects, 'Deployment', 'turnout');
    const pod = deployment.spec.template.spec;
    const volume = pod.volumes.find((v: { name: string }) => v.name === 'config');
    const configMap = one(objects, 'ConfigMap', volume.configMap.name);
    expect(() => validateConfig(parse(configMap.data?.['turnout.yaml'] ?? ''))).not.toThrow();
    const mount = pod.containers[0].volumeMounts.find((m: { name: string }) => m.name === 'config');
    expect(pod.containers[0].args.join(' ')).toContain(`--config ${mount.mountPath}/turnout.yaml`);
  });

  it('exposes it through a Service, scraped by a ServiceMonitor and scaled by an HPA', () => {
    const deployment = one(objects, 'Deployment', 'turnout');
    const service = one(objects, 'Service', 'turnout');
    expect(matches(service.spec.selector, deployment.spec.template.metadata.labels)).toBe(true);
    expect(service.spec.ports[0]).toMatchObject({ name: 'http', port: 4000, targetPort: 'http' });
    const monitor = one(objects, 'ServiceMonitor', 'turnout');
    expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
    expect(monitor.spec.endpoints[0]).toMatchObject({ port: 'http', path: '/metrics' });
    const hpa = one(objects, 'HorizontalPodAutoscaler', 'turnout');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'turnout' });
    expect(hpa.spec.minReplicas).toBe(replicas);
  });

  it(withRedis ? 'points the replicas at a Redis Service that it runs' : 'runs no Redis (the config file is the source)', () => {
    const container = one(objects, 'Deployment', 'turnout').spec.template.spec.containers[0];
    const redisUrl = container.env.find((e: { name: string }) => e.name === 'REDIS_URL')?.value as string | undefined;
    if (!withRedis) {
      expect(redisUrl).toBeUndefined();
      expect(objects.filter((o) => o.metadata.name === 'turnout-redis')).toEqual([]);
      return;
    }
    expect(redisUrl).toBe('redis://turnout-redis:6379');
    const service = one(objects, 'Service', 'turnout-redis');
    const redis = one(objects, 'Deployment', 'turnout-redis');
    expect(matches(service.spec.selector, redis.spec.template.metadata.labels)).toBe(true);
    expect(service.spec.ports[0].port).toBe(6379);
  });
});

it('the schema check fails on an invalid object, so the checks above can fail', () => {
  const result = validate('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: "two"\n');
  expect(result.code).toBe(1);
  expect(result.output).toContain('INVALID  apps/v1 Deployment x');
});
