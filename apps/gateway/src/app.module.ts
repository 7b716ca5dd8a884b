import type { Logger as PinoLogger } from 'pino';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { KeyRegistry, MemoryRateLimiter, MemoryUsageStore, ReadOnlyKeyStore, RedisKeyStore, RedisRateLimiter, RedisUsageStore, type KeyStore } from '@turnout/access';
import { GatewayMetrics } from '@turnout/observability';
import { UpstreamClient } from '@turnout/providers';
import { ProviderGuards } from '@turnout/resilience';
import { MemoryAffinityStore, MemoryInflightCounter, RedisAffinityStore, RedisInflightCounter } from '@turnout/routing';
import { MemoryAuditLog, RedisAuditLog, type ConfigStore } from '@turnout/config-store';
import { TranslatorTable } from '@turnout/translate';
import { AdminConfigController } from './admin/admin-config.controller';
import { AdminEntitiesController } from './admin/admin-entities.controller';
import { AdminExplainController } from './admin/admin-explain.controller';
import { AdminTokenGuard } from './admin/admin-token.guard';
import { ConsoleController } from './console/console.controller';
import { BUILT_CONSOLE_DIR, ConsoleAssets } from './console/console-assets';
import { RecentRequests } from './console/recent-requests';
import { ConsoleSessions } from './http/console-sessions';
import { GATEWAY_ENV, type GatewayEnv } from './env/gateway-env';
import { HealthController } from './health/health.controller';
import { CountTokensController } from './messages/count-tokens.controller';
import { AnthropicExceptionFilter } from './http/anthropic-exception.filter';
import { GracefulDrain } from './http/graceful-drain';
import { ShutdownSignal } from './http/shutdown-signal';
import { MessagesController } from './messages/messages.controller';
import { ChatCompletionsController } from './openai/chat-completions.controller';
import { ResponsesController } from './openai/responses.controller';
import { OpenAiForwarder } from './messages/openai-forwarder';
import { MessagesPipeline } from './messages/messages.pipeline';
import { PassthroughForwarder } from './messages/passthrough-forwarder';
import { TargetRunner } from './messages/target-runner';
import { ThinkingRefusals } from './messages/thinking-refusals';
import { TranslationForwarder } from './messages/translation-forwarder';
import { chooseLogFormat, RequestLog } from './logging/request-log';
import { knownModelNames } from '@turnout/observability';
import { MetricsController } from './metrics/metrics.controller';
import { ModelsController } from './models/models.controller';
import { ProviderRegistry } from './providers/provider-registry';
import { ProvidersController } from './providers/providers.controller';
import { CONFIG_STORE, ROUTING_SOURCE, type RoutingSource } from './config/routing-source';
import { StoreRoutingSource } from './config/store-routing-source';
import { RequestRouter } from './routing/request-router';
import { KeyAccess } from './keys/key-access';
import { RequestTracing } from './tracing/request-tracing';
import { KEY_STORE, RATE_LIMITER, USAGE_STORE } from './keys/keys-tokens';
import { AdminKeysController } from './admin/admin-keys.controller';
import { AdminAuditController } from './admin/admin-audit.controller';
import { AUDIT_LOG, AuditWrites } from './admin/audit-writes.interceptor';
import { AFFINITY_STORE, INFLIGHT_COUNTER } from './routing/routing-tokens';

export interface AppModuleOptions {
  readonly env: GatewayEnv;
  /** Started already: the file alone, or Redis seeded from it. */
  readonly store: ConfigStore;
  /** The process's one log stream (main's); without it the request log makes its own. */
  readonly logger?: PinoLogger;
}

/** The composition root: the only place libraries are wired together. */
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      controllers: [MessagesController, ChatCompletionsController, ResponsesController, CountTokensController, ModelsController, ProvidersController, HealthController, MetricsController, AdminConfigController, AdminEntitiesController, AdminExplainController, AdminKeysController, AdminAuditController, ConsoleController],
      providers: [
        { provide: GATEWAY_ENV, useValue: options.env },
        { provide: CONFIG_STORE, useValue: options.store },
        {
          provide: GatewayMetrics,
          useFactory: () =>
            new GatewayMetrics({
              maxModelLabels: options.env.metricsMaxModels,
              maxLabelLength: options.env.limits.metricsMaxLabelLength,
              // The provider registry adds the upstreams' model lists after each probe.
              knownModels: configuredModelNames(options.store),
              config: () => ({ revision: currentRevision(options.store), ...options.store.stats() }),
            }),
        },
        { provide: RecentRequests, useFactory: () => new RecentRequests(options.env.limits.consoleRecentRequests) },
        {
          provide: RequestLog,
          inject: [RecentRequests],
          useFactory: (recent: RecentRequests) => {
            const log = new RequestLog(options.logger ?? chooseLogFormat(options.env.logFormat, process.stdout.isTTY === true), process.stdout, options.env.limits.logMaxFieldLength);
            // The console's live traffic: an O(1) ring push after the line is written (only while the admin API is on).
            if (options.env.adminToken) log.onWrite((record) => recent.add(record));
            return log;
          },
        },
        { provide: ConsoleSessions, useFactory: () => new ConsoleSessions() },
        { provide: ConsoleAssets, useFactory: () => new ConsoleAssets(BUILT_CONSOLE_DIR) },
        ProviderRegistry,
        {
          provide: ROUTING_SOURCE,
          inject: [ProviderRegistry],
          useFactory: (registry: ProviderRegistry) => new StoreRoutingSource(options.store, registry.modeOf),
        },
        { provide: UpstreamClient, useFactory: () => new UpstreamClient() },
        GracefulDrain,
        { provide: TranslatorTable, useFactory: () => TranslatorTable.standard() },
        { provide: APP_FILTER, useClass: AnthropicExceptionFilter },
        MessagesPipeline,
        PassthroughForwarder,
        OpenAiForwarder,
        TranslationForwarder,
        ThinkingRefusals,
        TargetRunner,
        { provide: ProviderGuards, inject: [GatewayMetrics], useFactory: (metrics: GatewayMetrics) => new ProviderGuards(metrics, { circuitPanic: options.env.limits.circuitPanic }) },
        ShutdownSignal,
        RequestRouter,
        KeyAccess,
        RequestTracing,
        {
          provide: KEY_STORE,
          useFactory: async (): Promise<KeyStore> => {
            if (!options.env.redisUrl) return new ReadOnlyKeyStore();
            const logger = new Logger('Keys');
            return RedisKeyStore.open(options.env.redisUrl, { commandTimeoutMs: options.env.limits.redisCommandTimeoutMs, warn: (message) => logger.warn(message) });
          },
        },
        {
          provide: USAGE_STORE,
          useFactory: () =>
            options.env.redisUrl
              ? new RedisUsageStore(options.env.redisUrl, options.env.limits.usageDays, options.env.limits.redisCommandTimeoutMs)
              : new MemoryUsageStore(options.env.limits.usageDays),
        },
        {
          provide: KeyRegistry,
          inject: [KEY_STORE, ROUTING_SOURCE],
          useFactory: (store: KeyStore, routing: RoutingSource) =>
            new KeyRegistry(store, () => routing.current().config.keys, { maxKeys: options.env.limits.maxKeys, maxNameLength: options.env.limits.keyNameMaxLength }),
        },
        {
          provide: RATE_LIMITER,
          inject: [GatewayMetrics],
          useFactory: (metrics: GatewayMetrics) => {
            if (!options.env.redisUrl) return new MemoryRateLimiter();
            const logger = new Logger('Keys');
            return new RedisRateLimiter(options.env.redisUrl, (message) => logger.warn(message), {
              commandTimeoutMs: options.env.limits.redisCommandTimeoutMs,
              onStoreError: options.env.limits.rateLimitOnStoreError,
              onStoreFailure: (policy) => metrics.countRateLimitStoreError(policy),
            });
          },
        },
        {
          provide: AFFINITY_STORE,
          useFactory: () => (options.env.redisUrl ? new RedisAffinityStore(options.env.redisUrl, undefined, options.env.limits.redisCommandTimeoutMs) : new MemoryAffinityStore()),
        },
        {
          provide: INFLIGHT_COUNTER,
          useFactory: () => (options.env.redisUrl ? new RedisInflightCounter(options.env.redisUrl, undefined, options.env.limits.redisCommandTimeoutMs) : new MemoryInflightCounter()),
        },
        AdminTokenGuard,
        AuditWrites,
        {
          provide: AUDIT_LOG,
          useFactory: () =>
            options.env.redisUrl
              ? new RedisAuditLog(options.env.redisUrl, options.env.limits.auditMaxEntries, options.env.limits.redisCommandTimeoutMs)
              : new MemoryAuditLog(options.env.limits.auditMaxEntries),
        },
      ],
    };
  }
}

/** The config's exact model names, for the metrics' `model` label (issue 15, case 1). */
function configuredModelNames(store: ConfigStore): Set<string> {
  try {
    return knownModelNames(store.current().config, []);
  } catch {
    return new Set(); // not ready yet: the provider registry sets them once it starts
  }
}

function currentRevision(store: ConfigStore): number | undefined {
  return store.readiness().ready ? store.current().revision : undefined;
}
