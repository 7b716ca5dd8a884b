import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { UpstreamClient } from '@turnout/providers';
import { AppModule, type AppModuleOptions } from './app.module';
import { GracefulDrain } from './http/graceful-drain';
import { installBodyLimits } from './http/oversized-body';
import { installEarlyKeyCheck } from './http/early-key-check';
import { KeyAccess } from './keys/key-access';
import { newRequestId } from './http/request-id';
import { PinoNestLogger } from './logging/process-log';


/** Builds the gateway app without listening; `main` and the integration tests share it. */
export async function createGateway(options: AppModuleOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // Anthropic's own limit for Messages bodies is 32 MB (docs/protocol.md §1.1); installBodyLimits enforces it.
    bodyLimit: options.env.maxBodyBytes,
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
  installFastifyHooks(fastify);
  installBodyLimits(fastify, options.env);
  installEarlyKeyCheck(fastify, app.get(KeyAccess));
  app.get(GracefulDrain).install(fastify);
  return app;
}

/**
 * Every response carries `request-id`. Errors need no handler of ours here: Nest's Fastify
 * adapter sends Fastify's own errors (bad JSON, body too large) and unknown routes through the
 * exception filters, where AnthropicExceptionFilter renders them.
 */
function installFastifyHooks(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id);
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
