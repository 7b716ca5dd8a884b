import { Logger } from '@nestjs/common';
import { chooseLogFormat } from './logging/request-log';
import { createProcessLogger, PinoNestLogger } from './logging/process-log';
import { startBanner } from './logging/start-banner';
import { FileConfigStore, RedisConfigStore, type ConfigStore } from '@turnout/config-store';
import { ConfigError, loadConfigFile } from '@turnout/config';
import { closeGateway, createGateway } from './bootstrap';
import { ShutdownSignal } from './http/shutdown-signal';
import { ProviderRegistry } from './providers/provider-registry';
import { apiKeyEnvProblem } from './env/provider-secrets';
import { EnvError, loadGatewayEnv } from './env/gateway-env';
import { parseArgs, USAGE, UsageError, type CliCommand } from './cli/parse-args';
import { AdminRequestError } from './cli/admin-client';
import { runAdminCommand } from './cli/admin-commands';
import { keysNewOutput } from './cli/keys-command';
import { runDoctor } from './cli/doctor';
import { validateConfigFileCommand } from './cli/validate-config-file';
import { isClusterWorker, runClusterPrimary } from './cli/worker-cluster';
import { loadHeapSettings } from './memory/heap-settings';
import { sizeYoungGeneration } from './memory/young-generation-sizing';

/**
 * The `turnout` command. Start-up failures (bad flags, bad config) print one readable line
 * and exit 1: a gateway that starts on a half-valid config fails later, in a worse place.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  let command: CliCommand;
  try {
    command = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`turnout: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (command.name === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.name === 'version') {
    process.stdout.write(`${readVersion()}\n`);
    return 0;
  }
  if (command.name === 'config-validate') {
    return validateConfigFileCommand(command.file, (text) => process.stdout.write(text), (text) => process.stderr.write(text));
  }
  if (command.name === 'doctor') return doctor(command.flags);
  if (command.name === 'keys-new') {
    process.stdout.write(keysNewOutput(command.id));
    return 0;
  }
  if (command.name === 'admin') {
    try {
      return await runAdminCommand(command, process.env, (text) => process.stdout.write(text));
    } catch (error) {
      if (error instanceof AdminRequestError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
        process.stderr.write(`turnout: ${(error as Error).message}\n`);
        return 1;
      }
      throw error;
    }
  }
  return serve(command.flags);
}

/** `turnout doctor`: the config as `serve` would find and load it, then every provider asked. */
async function doctor(flags: { readonly config?: string; readonly url?: string }): Promise<number> {
  let config;
  let env;
  try {
    env = loadGatewayEnv(process.env, { ...(flags.config === undefined ? {} : { config: flags.config }) });
    config = loadConfigFile(env.configPath);
  } catch (error) {
    if (error instanceof EnvError || error instanceof ConfigError) {
      process.stderr.write(`turnout: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  process.stdout.write(`config: ${env.configPath}\n\n`);
  const host = env.host === '0.0.0.0' || env.host === '::' ? '127.0.0.1' : env.host;
  const gatewayUrl = flags.url ?? process.env.TURNOUT_URL ?? `http://${host}:${env.port}`;
  return runDoctor(config, { gatewayUrl, secrets: env.secrets }, (text) => process.stdout.write(text));
}

async function serve(flags: Parameters<typeof loadGatewayEnv>[1]): Promise<number> {
  const logger = new Logger('Turnout');
  let env;
  try {
    env = loadGatewayEnv(process.env, flags);
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`turnout: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  // One log stream from here on: Nest's lines, ours and the request log all go through pino.
  const processLogger = createProcessLogger(chooseLogFormat(env.logFormat, process.stdout.isTTY === true), env.logLevel, process.stdout, env.limits.logMaxBacklogBytes);
  Logger.overrideLogger(new PinoNestLogger(processLogger));
  // --workers N: this process only supervises N workers, each of which runs the rest of serve().
  if (env.workers > 1 && !isClusterWorker()) {
    const code = await runClusterPrimary({ workers: env.workers, host: env.host, port: env.port, shutdownGraceMs: env.shutdownGraceMs }, logger);
    process.exit(code);
  }
  const clustered = isClusterWorker();
  let store: ConfigStore;
  try {
    store = env.redisUrl
      ? new RedisConfigStore({ url: env.redisUrl, seedFile: env.configPath, logger: new StoreLog(), commandTimeoutMs: env.limits.redisCommandTimeoutMs })
      : new FileConfigStore(env.configPath);
    await store.start();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`turnout: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const readiness = store.readiness();
  if (!readiness.ready) logger.warn(`not ready: ${readiness.detail}`);
  const config = readiness.ready ? store.current().config : undefined;
  const keyEnvProblem = config === undefined ? undefined : apiKeyEnvProblem(config, env.limits.apiKeyEnvAllow);
  if (keyEnvProblem !== undefined) {
    process.stderr.write(`turnout: ${keyEnvProblem}\n`);
    return 1;
  }
  for (const provider of config?.providers ?? []) {
    if (provider.apiKeyEnv && !env.secrets[provider.apiKeyEnv]) {
      logger.warn(`provider ${provider.id}: api_key_env ${provider.apiKeyEnv} is not set; requests go without a key`);
    }
  }
  const app = await createGateway({ env, store, logger: processLogger });
  const registry = app.get(ProviderRegistry);
  if (config) await registry.start(config);
  store.onChange((snapshot) => registry.reconfigure(snapshot.config));
  await app.listen(env.port, env.host);
  // The modules are loaded: the young generation may grow now, up to its cap (memory/).
  sizeYoungGeneration(loadHeapSettings(process.env));
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : env.port;
  const url = `http://${env.host}:${port}`;
  if (clustered) {
    // A worker does not say "listening on": the primary does, once every worker serves.
    logger.log(`worker serving ${url} with ${config?.providers.length ?? 0} provider(s), ${config?.routes.length ?? 0} route(s)`);
  } else {
    const banner = startBanner({
      version: readVersion(),
      url,
      host: env.host,
      port,
      source: env.redisUrl ? 'redis' : env.configPath,
      sourceDetail: env.redisUrl ? readiness.detail : undefined,
      revision: readiness.ready ? store.current().revision : undefined,
      config,
      providers: config ? registry.status(config) : [],
      adminApi: env.adminToken !== undefined,
    });
    for (const line of banner) (line.level === 'warn' ? logger.warn(line.text) : logger.log(line.text));
  }
  const stop = (signal: NodeJS.Signals) => {
    const graceMs = env.shutdownGraceMs;
    logger.log(`${signal}: no new connections; in-flight requests get ${graceMs / 1000}s to finish (send it again to stop now)`);
    process.once(signal, () => process.exit(1));
    // At the deadline, streams still open end with `event: error` (overloaded: clients retry
    // elsewhere); a moment later the process exits whatever is left.
    setTimeout(() => {
      logger.warn('grace period over: ending the requests still in flight with an error event');
      app.get(ShutdownSignal).endInFlight();
      setTimeout(() => process.exit(0), 2_000).unref();
    }, graceMs).unref();
    void closeGateway(app)
      .then(() => store.close())
      .then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  // A worker stops when the primary forwards SIGTERM; a terminal's Ctrl-C reaches every process
  // of the group, and must not count as the "second signal" that cuts in-flight requests.
  if (clustered) process.on('SIGINT', () => undefined);
  else process.once('SIGINT', stop);
  return new Promise<number>(() => undefined);
}

/** The store's messages through Nest's logger, so they look like every other start-up line. */
class StoreLog {
  private readonly logger = new Logger('ConfigStore');
  log(message: string): void {
    this.logger.log(message);
  }
  warn(message: string): void {
    this.logger.warn(message);
  }
}


function readVersion(): string {
  // The package.json sits three levels above dist/apps/gateway/src.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../../../../package.json') as { version: string }).version;
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      if (code !== 0) process.exit(code);
    },
    (error: unknown) => {
      process.stderr.write(`turnout: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
