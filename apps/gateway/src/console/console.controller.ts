import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '@turnout/errors';
import { ProviderGuards } from '@turnout/resilience';
import { AdminTokenGuard } from '../admin/admin-token.guard';
import { ROUTING_SOURCE, type RoutingSource } from '../config/routing-source';
import { GATEWAY_ENV, type GatewayEnv } from '../env/gateway-env';
import { ConsoleSessions, CSRF_HEADER, readCookie, SESSION_COOKIE } from '../http/console-sessions';
import { sameOrigin } from '../http/same-origin';
import { ProviderRegistry } from '../providers/provider-registry';
import { ConsoleAssets } from './console-assets';
import { consoleProviderRows, type ConsoleProviderRow } from './console-provider-rows';
import { RecentRequests, type RecentRequest } from './recent-requests';

/** Open live streams at once (each viewer's tab holds one); more is refused, not queued. */
export const MAX_CONSOLE_STREAMS = 16;
/** How often an open stream compares the providers' state with what it last sent. */
const PROVIDERS_TICK_MS = 500;
/** A comment line this often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;
/** The page's own code only: no CDN, no inline script, no framing by other sites. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * `/console`: the web console (issue 21), on only when the admin API is (TURNOUT_ADMIN_TOKEN).
 * Its page is static (built by Vite into dist/console); its data comes from the admin API
 * itself (the session cookie stands in for the bearer token, see AdminTokenGuard) and from
 * the two reads below that only the console needs: providers with their live guard state, and
 * one SSE stream of finished requests and provider changes. Nothing here is on the request path.
 */
@Controller('console')
export class ConsoleController implements BeforeApplicationShutdown, OnModuleInit {
  private readonly streams = new Set<ServerResponse>();

  constructor(
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
    @Inject(ROUTING_SOURCE) private readonly routing: RoutingSource,
    private readonly sessions: ConsoleSessions,
    private readonly assets: ConsoleAssets,
    private readonly recent: RecentRequests,
    private readonly registry: ProviderRegistry,
    private readonly guards: ProviderGuards,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** `/console` (the page's own links are hash routes, so nothing else is a page; `/console/` redirects here). */
  @Get()
  async page(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.requireOn(request);
    await this.sendAsset(reply, 'index.html', 'no-store');
  }

  @Get('assets/:name')
  async asset(@Param('name') name: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.requireOn(request);
    await this.sendAsset(reply, `assets/${name}`, 'public, max-age=31536000, immutable');
  }

  /** Logs in with the admin token: a session cookie (session-only, HttpOnly, SameSite=Strict) and the session's CSRF token. */
  @Post('api/login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const adminToken = this.requireOn(request);
    if (!sameOrigin(request)) throw new GatewayError('GW_PERMISSION', { message: 'a console login must come from the console page (Origin)' });
    const token = (body as { token?: unknown } | null)?.token;
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096 || !tokensEqual(token, adminToken)) {
      throw new GatewayError('GW_AUTHENTICATION', { message: 'that is not the admin token (TURNOUT_ADMIN_TOKEN)' });
    }
    this.sessions.end(readCookie(request.headers.cookie, SESSION_COOKIE));
    const session = this.sessions.create();
    await reply.header('set-cookie', sessionCookie(request, session.id)).header('cache-control', 'no-store').send({ csrf: session.csrf });
  }

  /** The page asks after a reload: the cookie survived, the CSRF token (kept in memory) did not. */
  @Get('api/session')
  async session(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.requireOn(request);
    const csrf = this.sessions.csrfOf(readCookie(request.headers.cookie, SESSION_COOKIE));
    if (csrf === undefined) throw new GatewayError('GW_AUTHENTICATION', { message: 'not logged in to the console' });
    await reply.header('cache-control', 'no-store').send({ csrf });
  }

  @Post('api/logout')
  @HttpCode(200)
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.requireOn(request);
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    const csrf = request.headers[CSRF_HEADER];
    if (!sameOrigin(request) || !this.sessions.allowsWrite(id, Array.isArray(csrf) ? csrf[0] : csrf)) {
      throw new GatewayError('GW_PERMISSION', { message: `logging out needs the session's ${CSRF_HEADER} header and the gateway's own origin` });
    }
    this.sessions.end(id);
    await reply.header('set-cookie', sessionCookie(request, '', true)).send({ logged_out: true });
  }

  @Get('api/providers')
  @UseGuards(AdminTokenGuard)
  providers(): { data: ConsoleProviderRow[] } {
    return { data: this.providerRows() };
  }

  @Get('api/requests')
  @UseGuards(AdminTokenGuard)
  requests(): { data: RecentRequest[]; capacity: number } {
    return { data: this.recent.list(), capacity: this.recent.capacity };
  }

  /**
   * One SSE stream per open console: `requests` (the backlog first, then batches as requests
   * finish) and `providers` (whenever a provider's state changed, checked twice a second).
   */
  @Get('api/events')
  @UseGuards(AdminTokenGuard)
  events(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    if (this.streams.size >= MAX_CONSOLE_STREAMS) {
      throw new GatewayError('GW_RATE_LIMITED', { message: `the console already has ${MAX_CONSOLE_STREAMS} live streams open; close a tab`, headers: { 'retry-after': '5' } });
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'request-id': String(request.id),
    });
    this.streams.add(raw);
    const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('requests', this.recent.list());
    let lastProviders = '';
    const sendProviders = () => {
      const text = JSON.stringify(this.providerRows());
      if (text === lastProviders) return;
      lastProviders = text;
      raw.write(`event: providers\ndata: ${text}\n\n`);
    };
    sendProviders();
    const unsubscribe = this.recent.subscribe((batch) => {
      send('requests', batch);
      sendProviders();
    });
    const tick = setInterval(sendProviders, PROVIDERS_TICK_MS);
    const keepalive = setInterval(() => raw.write(': keepalive\n\n'), KEEPALIVE_MS);
    raw.once('close', () => {
      unsubscribe();
      clearInterval(tick);
      clearInterval(keepalive);
      this.streams.delete(raw);
    });
  }

  /**
   * `/console/` as typed by a person: Nest's router drops trailing slashes, so this one route
   * is Fastify's own; a redirect to `/console` while the console is on, the usual 404 otherwise.
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.get('/console/', (_request, reply) => {
      if (!this.env.adminToken) return reply.callNotFound();
      return reply.status(308).header('location', '/console').send();
    });
  }

  /** A stopping gateway waits for open responses: the console's streams end first. */
  beforeApplicationShutdown(): void {
    for (const stream of this.streams) stream.end();
  }

  private providerRows(): ConsoleProviderRow[] {
    const config = this.routing.current().config;
    return consoleProviderRows(
      config,
      this.registry.status(config),
      (id) => this.guards.snapshot(id),
      (id) => this.recent.lastFailure(id),
    );
  }

  /** The admin token, or a 404 exactly like an unknown path while the admin API is off. */
  private requireOn(request: FastifyRequest): string {
    if (!this.env.adminToken) throw new GatewayError('GW_NOT_FOUND', { message: `${request.method} ${request.url.split('?')[0]} is not a Turnout endpoint` });
    return this.env.adminToken;
  }

  private async sendAsset(reply: FastifyReply, name: string, cacheControl: string): Promise<void> {
    if (!this.assets.built) throw new GatewayError('GW_NOT_FOUND', { message: `the console is not built in ${this.assets.root} (npm run build builds it)` });
    const asset = this.assets.get(name);
    if (!asset) throw new GatewayError('GW_NOT_FOUND', { message: `/console/${name.slice(0, 100)} is not a console file` });
    await reply
      .header('content-type', asset.contentType)
      .header('cache-control', cacheControl)
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .send(asset.bytes);
  }
}

function tokensEqual(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Session-only (no Max-Age), HttpOnly, SameSite=Strict; Secure when the page came over HTTPS. */
function sessionCookie(request: FastifyRequest, value: string, clear = false): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  const expiry = clear ? '; Max-Age=0' : '';
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict${secure}${expiry}`;
}
