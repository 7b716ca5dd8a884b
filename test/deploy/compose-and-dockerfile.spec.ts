import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { validateConfig } from '@turnout/config';

// No Docker daemon in CI: the compose file and the Dockerfile are read as data and held to the
// properties a first `docker compose up` depends on.
const ROOT = join(__dirname, '..', '..');
const COMPOSE_TEXT = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const CORE_SERVICES = ['gateway', 'redis', 'prometheus', 'grafana'];

/** Compose's variable substitution: `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$$`. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, fallback: string | undefined) => {
    if (whole === '$$') return '$';
    const value = env[name as string];
    if (op === ':-') return value ? value : (fallback ?? '');
    if (op === '-') return value ?? fallback ?? '';
    return value ?? '';
  });
}

interface Service {
  image?: string;
  build?: unknown;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }> | string[];
  extra_hosts?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  configs?: { source: string; target: string }[];
  profiles?: string[];
}
interface Compose {
  services: Record<string, Service>;
  configs: Record<string, { content: string }>;
}

function compose(env: Record<string, string> = {}): Compose {
  return parse(interpolate(COMPOSE_TEXT, env)) as Compose;
}

function gatewayConfig(env: Record<string, string> = {}) {
  const file = compose(env);
  const mount = file.services.gateway?.configs?.[0];
  expect(mount?.target).toBe(file.services.gateway?.environment?.TURNOUT_CONFIG);
  return validateConfig(parse(file.configs[mount!.source]!.content));
}

/** The instructions of one Dockerfile stage, continuation lines joined. */
function stages(text: string): string[][] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const result: string[][] = [];
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) result.push([]);
    result[result.length - 1]?.push(line);
  }
  return result;
}

describe('docker-compose.yml', () => {
  it('runs the gateway, Redis, Prometheus and Grafana, each with a healthcheck', () => {
    const { services } = compose();
    for (const name of CORE_SERVICES) {
      expect(services[name]).toBeDefined();
      expect(services[name]?.profiles).toBeUndefined();
      expect(services[name]?.healthcheck?.test[0]).toMatch(/^CMD/);
    }
    expect(services.gateway?.healthcheck?.test.join(' ')).toContain('/health');
  });

  it('starts a service only after what it depends on is healthy', () => {
    const { services } = compose();
    const edges = Object.entries(services).flatMap(([name, service]) => {
      expect(Array.isArray(service.depends_on)).toBe(false);
      return Object.entries((service.depends_on ?? {}) as Record<string, { condition: string }>).map(([dep, how]) => ({ name, dep, how }));
    });
    expect(edges.map((e) => `${e.name}->${e.dep}`)).toEqual(expect.arrayContaining(['gateway->redis', 'prometheus->gateway', 'grafana->prometheus']));
    for (const { dep, how } of edges) {
      expect(how.condition).toBe('service_healthy');
      expect(services[dep]?.healthcheck).toBeDefined();
    }
  });

  it('publishes ports on 127.0.0.1 unless TURNOUT_BIND_ADDRESS says otherwise', () => {
    const published = (file: Compose) => Object.values(file.services).flatMap((s) => s.ports ?? []);
    expect(published(compose()).length).toBeGreaterThanOrEqual(3);
    for (const port of published(compose())) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    for (const port of published(compose({ TURNOUT_BIND_ADDRESS: '0.0.0.0' }))) expect(port).toMatch(/^0\.0\.0\.0:\d+:\d+$/);
  });

  it('reaches a model server on the Docker host by default, through host.docker.internal', () => {
    const { services } = compose();
    expect(services.gateway?.extra_hosts).toContain('host.docker.internal:host-gateway');
    expect(services.gateway?.environment).toMatchObject({ HOST: '0.0.0.0', REDIS_URL: 'redis://redis:6379' });
    const config = gatewayConfig();
    expect(config.providers.map((p) => p.baseUrl)).toEqual(['http://host.docker.internal:8080']);
    // Every model name has a route, so a first request never meets "no route".
    expect(config.routes.some((r) => r.match === '*')).toBe(true);
  });

  it('points the gateway at another model server with one variable', () => {
    const config = gatewayConfig({ TURNOUT_MODEL_SERVER_URL: 'http://host.docker.internal:11434' });
    expect(config.providers.map((p) => p.baseUrl)).toEqual(['http://host.docker.internal:11434']);
  });

  it('mounts files that exist, and Prometheus scrapes the gateway service', () => {
    const { services } = compose();
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] as string;
        if (source.startsWith('./') && source !== './models') expect(existsSync(join(ROOT, source))).toBe(true);
      }
    }
    const scrape = parse(readFileSync(join(ROOT, 'config', 'prometheus', 'prometheus.yml'), 'utf8')) as {
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    expect(scrape.scrape_configs[0]?.static_configs[0]?.targets).toEqual([`gateway:${services.gateway?.environment?.PORT}`]);
  });

  it('the substitution used here follows compose (so the checks above can fail)', () => {
    expect(interpolate('a ${X:-d} ${Y-e} $${Z}', { X: '', Y: '' })).toBe('a d  ${Z}');
    expect(() => gatewayConfig({ TURNOUT_MODEL_SERVER_URL: 'not a url' })).toThrow(/base_url/);
  });
});

describe('Dockerfile', () => {
  const [build, runtime] = stages(DOCKERFILE);

  it('is multi-stage on a current Node LTS (even major, 22 or newer)', () => {
    expect(stages(DOCKERFILE)).toHaveLength(2);
    for (const stage of [build, runtime]) {
      const image = /^FROM\s+node:(\d+)[-\w.]*/i.exec(stage?.[0] ?? '');
      expect(image).not.toBeNull();
      const major = Number(image?.[1]);
      expect(major).toBeGreaterThanOrEqual(22);
      expect(major % 2).toBe(0);
    }
  });

  it('installs production dependencies only in the final image, and copies the build from the first stage', () => {
    expect(runtime?.some((l) => /^RUN .*npm ci\b.*--omit=dev/.test(l))).toBe(true);
    expect(runtime?.some((l) => /^RUN .*npm (ci|install)\b/.test(l) && !l.includes('--omit=dev'))).toBe(false);
    expect(runtime?.some((l) => /^COPY --from=build \/app\/dist/.test(l))).toBe(true);
  });

  it('runs as a non-root user, listens on all interfaces, and has a HEALTHCHECK on /health', () => {
    const user = runtime?.filter((l) => /^USER\s/i.test(l)).pop();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER\s+(root|0)(:|\s|$)/i);
    expect(runtime?.join('\n')).toMatch(/HOST=0\.0\.0\.0/);
    expect(runtime?.find((l) => /^HEALTHCHECK\s/i.test(l))).toMatch(/\/health/);
    expect(runtime?.find((l) => /^CMD\s/i.test(l))).toContain('serve');
  });
});
