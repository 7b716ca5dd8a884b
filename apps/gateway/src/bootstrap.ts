import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { UpstreamClient } from '@turnout/providers';
import { AppModule, type AppModuleOptions } from './app.module';
import { GatewayError } from '@turnout/errors';
import { scanJsonShape } from '@turnout/passthrough';
import type { GatewayLimits } from './env/gateway-limits';
import { GracefulDrain } from './http/graceful-drain';
import { installBodyLimits } from './http/oversized-body';
import { installEarlyKeyCheck } from './http/early-key-check';
import { inboundApiOfPath } from './http/error-renderers';
import { KeyAccess } from './keys/key-access';
import { createRequestContext } from './http/request-context';
import { MessagesPipeline } from './messages/messages.pipeline';
import { newRequestId } from './http/request-id';
import { PinoNestLogger } from './logging/process-log';
import { setEnvelopeLimits } from './messages/envelope-limits';
import { restoreFastStringPrototype } from './string-prototype-fast-mode';


/** Builds the gateway app without listening; `main` and the integration tests share it. */
export async function createGateway(options: AppModuleOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // Anthropic's own limit for Messages bodies is 32 MB (docs/protocol.md §1.1); installBodyLimits enforces it.
    bodyLimit: options.env.limits.maxBodyBytes,
    genReqId: () => newRequestId(),
    // Long local generations: never let the server cut a slow stream on its own.
    requestTimeout: 0,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    // main's pino logger when it has one (one stream for every line); Nest's own otherwise.
    logger: options.logger ? new PinoNestLogger(options.logger) : ['log', 'error', 'warn'],
    // Passthrough forwards the client's exact bytes (unknown fields, number spellings, signatures).
    rawBody: true,
    bufferLogs: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  setEnvelopeLimits(options.env.limits);
  installFastifyHooks(fastify);
  installBodyLimits(fastify, options.env.limits);
  const pipeline = app.get(MessagesPipeline);
  installEarlyKeyCheck(fastify, app.get(KeyAccess), (request, reply, error) =>
    pipeline.recordRefused(undefined, error, createRequestContext(request, reply), inboundApiOfPath(request.url)),
  );
  installBodyShapeCheck(fastify, options.env.limits);
  app.get(GracefulDrain).install(fastify);
  // Last: every module the app needs is loaded by now (see the function for why).
  restoreFastStringPrototype();
  return app;
}

/**
 * Every response carries `request-id`. Errors need no handler of ours here: Nest's Fastify
 * adapter sends Fastify's own errors (bad JSON, body too large) and unknown routes through the
 * exception filters, where AnthropicExceptionFilter renders them.
 */
function installFastifyHooks(fastify: FastifyInstance): void {
  // Callback hooks, not async ones, on every request's path: an async hook costs Fastify a promise and a tick.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('request-id', request.id);
    done();
  });
}

/**
 * Issue 15, case 4: every JSON body is checked on its bytes, after Fastify parsed it and before
 * anything of ours walks it: nesting past `maxJsonDepth` and a top-level member named twice are
 * a 400; an admin document over `adminMaxBodyBytes` is a 413 (the Content-Length is checked
 * before the body is read, the bytes after, for chunked uploads).
 */
function installBodyShapeCheck(fastify: FastifyInstance, limits: GatewayLimits): void {
  const tooLargeForAdmin = () =>
    new GatewayError('GW_BODY_TOO_LARGE', { message: `admin documents are limited to ${limits.adminMaxBodyBytes} bytes (TURNOUT_ADMIN_MAX_BODY_BYTES)` });
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (!request.url.startsWith('/admin')) return done();
    const length = Number(request.headers['content-length']);
    done(Number.isFinite(length) && length > limits.adminMaxBodyBytes ? tooLargeForAdmin() : undefined);
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    const raw = (request as { rawBody?: Buffer }).rawBody;
    if (!Buffer.isBuffer(raw) || raw.length === 0) return done();
    if (request.url.startsWith('/admin') && raw.length > limits.adminMaxBodyBytes) return done(tooLargeForAdmin());
    const shape = scanJsonShape(raw, limits.maxJsonDepth);
    if (shape.depth > limits.maxJsonDepth) {
      return done(new GatewayError('GW_INVALID_REQUEST', { message: `body: JSON nested deeper than ${limits.maxJsonDepth} levels` }));
    }
    if (shape.duplicateKey !== undefined) {
      return done(new GatewayError('GW_INVALID_REQUEST', { message: `${shape.duplicateKey.slice(0, 64)}: appears more than once in the body` }));
    }
    done();
  });
}

/** Stops accepting, lets in-flight responses finish, cuts the rest, then closes upstream pools. */
export async function closeGateway(app: NestFastifyApplication): Promise<void> {
  const server = app.getHttpServer() as Server;
  const closed = app.close();
  await app.get(GracefulDrain).drain(server);
  await closed;
  await app.get(UpstreamClient).close();
}
