import { Inject, Injectable, Logger, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditLog } from '@turnout/config-store';
import { tap, type Observable } from 'rxjs';
import { actor } from './admin-actor';

/** Nest injection token for the audit log (Redis when REDIS_URL is set, memory otherwise). */
export const AUDIT_LOG = Symbol('AUDIT_LOG');

const AUDITED = 'turnout:audited';

/** Marks an admin handler as a write the audit log records under `action` (e.g. `keys.revoke`). */
export const Audited = (action: string) => SetMetadata(AUDITED, action);

/**
 * Records every successful admin write (config and keys): who (the `x-turnout-actor` label, else
 * "admin": the admin token is one shared secret, so this is a label, not an identity), what
 * (the action and its target: a key id, provider id, route index or config revision) and
 * when. A refused write is not recorded (nothing changed). Never a secret: only ids, names and
 * revisions go in. Recording is after the answer and does not fail it; a store failure is logged.
 */
@Injectable()
export class AuditWrites implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly reflector: Reflector,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = this.reflector.get<string | undefined>(AUDITED, context.getHandler());
    if (action === undefined) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      tap((result: unknown) => {
        const params = (request.params ?? {}) as Record<string, string | undefined>;
        const created = (result as { key?: { id?: string; name?: string } } | undefined)?.key;
        const etag = reply.getHeader('etag');
        const target = params.id ?? (params.index === undefined ? undefined : `route ${params.index}`) ?? created?.id ?? (etag === undefined ? '' : `config revision ${String(etag).replaceAll('"', '')}`);
        const detail = created?.name === undefined ? undefined : { name: created.name };
        this.audit
          .append({ at: new Date().toISOString(), actor: actor(request) ?? 'admin', action, target, ...(detail === undefined ? {} : { detail }) })
          .catch((error: unknown) => this.logger.warn(`audit: ${action} ${target} not recorded (${(error as Error).message})`));
      }),
    );
  }
}
