import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GatewayError } from '@turnout/errors';
import { GATEWAY_ENV, type GatewayEnv } from '../env/gateway-env';
import { bearerTokenMatches } from '../http/bearer-token';

/**
 * The admin API exists only when TURNOUT_ADMIN_TOKEN is set (otherwise it answers exactly like
 * an unknown path, so a scan learns nothing), and then only for that bearer token.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(GATEWAY_ENV) private readonly env: GatewayEnv) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!this.env.adminToken) {
      throw new GatewayError('GW_NOT_FOUND', { message: `${request.method} ${request.url.split('?')[0]} is not a Turnout endpoint` });
    }
    if (!bearerTokenMatches(request.headers.authorization, this.env.adminToken)) {
      throw new GatewayError('GW_AUTHENTICATION', { message: 'the admin API needs Authorization: Bearer <TURNOUT_ADMIN_TOKEN>' });
    }
    return true;
  }
}
