import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GatewayError } from '@turnout/errors';
import { GATEWAY_ENV, type GatewayEnv } from '../env/gateway-env';
import { bearerTokenMatches } from '../http/bearer-token';
import { ConsoleSessions, CSRF_HEADER, readCookie, SESSION_COOKIE } from '../http/console-sessions';
import { sameOrigin } from '../http/same-origin';

/**
 * The admin API exists only when TURNOUT_ADMIN_TOKEN is set (otherwise it answers exactly like
 * an unknown path, so a scan learns nothing), and then only for that bearer token, or for a
 * console session (the HttpOnly cookie a console login set): a session's writes must carry its
 * CSRF token in `x-turnout-csrf` and come from the gateway's own origin.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
    private readonly sessions: ConsoleSessions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!this.env.adminToken) {
      throw new GatewayError('GW_NOT_FOUND', { message: `${request.method} ${request.url.split('?')[0]} is not a Turnout endpoint` });
    }
    if (bearerTokenMatches(request.headers.authorization, this.env.adminToken)) return true;
    const session = request.headers.authorization === undefined ? readCookie(request.headers.cookie, SESSION_COOKIE) : undefined;
    if (session !== undefined && this.sessions.csrfOf(session) !== undefined) {
      if (request.method === 'GET' || request.method === 'HEAD') return true;
      const csrf = request.headers[CSRF_HEADER];
      if (sameOrigin(request) && this.sessions.allowsWrite(session, Array.isArray(csrf) ? csrf[0] : csrf)) return true;
      throw new GatewayError('GW_PERMISSION', { message: `a console write needs the session's ${CSRF_HEADER} header and the gateway's own origin` });
    }
    throw new GatewayError('GW_AUTHENTICATION', { message: 'the admin API needs Authorization: Bearer <TURNOUT_ADMIN_TOKEN>' });
  }
}
