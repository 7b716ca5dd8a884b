import { EnvError, loadGatewayEnv } from './gateway-env';

describe('loadGatewayEnv', () => {
  it('defaults to 127.0.0.1:4000 and config/turnout.yaml', () => {
    expect(loadGatewayEnv({}, {})).toMatchObject({ host: '127.0.0.1', port: 4000, configPath: 'config/turnout.yaml' });
  });

  it('reads PORT, HOST and TURNOUT_CONFIG', () => {
    expect(loadGatewayEnv({ PORT: '4100', HOST: '0.0.0.0', TURNOUT_CONFIG: '/etc/t.yaml' }, {})).toMatchObject({
      host: '0.0.0.0',
      port: 4100,
      configPath: '/etc/t.yaml',
    });
  });

  it('lets flags win over the environment', () => {
    const env = loadGatewayEnv({ PORT: '4100', HOST: '0.0.0.0', TURNOUT_CONFIG: 'a.yaml' }, { port: '4200', host: '::1', config: 'b.yaml' });
    expect(env).toMatchObject({ host: '::1', port: 4200, configPath: 'b.yaml' });
  });

  it.each(['abc', '-1', '70000', '4000.5'])('rejects port %s', (port) => {
    expect(() => loadGatewayEnv({ PORT: port }, {})).toThrow(EnvError);
  });

  it('reads the metrics token, the model-label cap and the log format', () => {
    expect(loadGatewayEnv({ TURNOUT_METRICS_TOKEN: 't', TURNOUT_METRICS_MAX_MODELS: '7', TURNOUT_LOG_FORMAT: 'json' }, {})).toMatchObject({
      metricsToken: 't',
      metricsMaxModels: 7,
      logFormat: 'json',
    });
    expect(loadGatewayEnv({}, {})).toMatchObject({ metricsToken: undefined, metricsMaxModels: 100, logFormat: undefined });
  });

  it.each([
    [{ TURNOUT_METRICS_MAX_MODELS: '0' }, /TURNOUT_METRICS_MAX_MODELS/],
    [{ TURNOUT_LOG_FORMAT: 'xml' }, /TURNOUT_LOG_FORMAT/],
  ])('rejects %p', (env, message) => {
    expect(() => loadGatewayEnv(env, {})).toThrow(message);
  });

  it('runs one process unless told otherwise', () => {
    expect(loadGatewayEnv({}, {}).workers).toBe(1);
    expect(loadGatewayEnv({ TURNOUT_WORKERS: '' }, {}).workers).toBe(1);
  });

  it('reads the worker count from TURNOUT_WORKERS and --workers (the flag wins)', () => {
    expect(loadGatewayEnv({ TURNOUT_WORKERS: '3' }, {}).workers).toBe(3);
    expect(loadGatewayEnv({ TURNOUT_WORKERS: '3' }, { workers: '2' }).workers).toBe(2);
  });

  it('takes auto as one worker per available CPU', () => {
    expect(loadGatewayEnv({}, { workers: 'auto' }, () => 6).workers).toBe(6);
    expect(loadGatewayEnv({ TURNOUT_WORKERS: 'auto' }, {}, () => 2).workers).toBe(2);
  });

  it.each(['0', '-2', '1.5', 'two', ' 2', 'AUTO'])('rejects workers %p', (workers) => {
    expect(() => loadGatewayEnv({}, { workers })).toThrow(new EnvError(`workers must be a whole number from 1, or auto (got "${workers}")`));
  });

  it('is frozen', () => {
    expect(Object.isFrozen(loadGatewayEnv({}, {}))).toBe(true);
  });
});

describe('config file search', () => {
  const only = (...present: string[]) => (path: string) => present.includes(path);

  it('takes --config, then TURNOUT_CONFIG, then ./config/turnout.yaml, then /etc/turnout/turnout.yaml', () => {
    const both = only('config/turnout.yaml', '/etc/turnout/turnout.yaml');
    expect(loadGatewayEnv({ TURNOUT_CONFIG: 'env.yaml' }, { config: 'flag.yaml' }, () => 1, both).configPath).toBe('flag.yaml');
    expect(loadGatewayEnv({ TURNOUT_CONFIG: 'env.yaml' }, {}, () => 1, both).configPath).toBe('env.yaml');
    expect(loadGatewayEnv({}, {}, () => 1, both).configPath).toBe('config/turnout.yaml');
    expect(loadGatewayEnv({}, {}, () => 1, only('/etc/turnout/turnout.yaml')).configPath).toBe('/etc/turnout/turnout.yaml');
  });

  it('names every place it tried when none holds a file', () => {
    expect(() => loadGatewayEnv({}, {}, () => 1, only())).toThrow(
      new EnvError('no config file found; tried: --config (not given), TURNOUT_CONFIG (not set), ./config/turnout.yaml, /etc/turnout/turnout.yaml. Pass --config PATH or set TURNOUT_CONFIG'),
    );
  });

  it('with Redis, starts without a file (Redis may hold the config)', () => {
    expect(loadGatewayEnv({ REDIS_URL: 'redis://r:6379' }, {}, () => 1, only()).configPath).toBe('config/turnout.yaml');
  });
});

describe('REDIS_URL', () => {
  it('accepts one server, Sentinel and Cluster URLs, and names a bad one', () => {
    for (const url of ['redis://r:6379', 'redis+sentinel://s:26379/mymaster', 'redis+cluster://a:7000,b:7001']) {
      expect(loadGatewayEnv({ REDIS_URL: url }, {}).redisUrl).toBe(url);
    }
    expect(() => loadGatewayEnv({ REDIS_URL: 'redis+sentinel://s:26379' }, {})).toThrow(new EnvError('REDIS_URL: redis+sentinel:// needs the master name as its path: redis+sentinel://host:26379/mymaster'));
  });
});
