import { plainToInstance } from 'class-transformer';
import { validateSync } from '@turnout/config';
import { GatewayError } from '@turnout/errors';

/**
 * Admin bodies are small and fully owned by us, so unlike Messages bodies they are whitelisted:
 * an unknown field is an error (a typo in `revison` must not silently roll back nothing).
 */
export function validateAdminBody<T extends object>(dtoClass: new () => T, body: unknown, allowUnknown = false): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError('GW_INVALID_REQUEST', { message: 'body: must be a JSON object' });
  }
  const dto = plainToInstance(dtoClass, body);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: !allowUnknown });
  const first = errors[0];
  if (first) {
    const message = Object.values(first.constraints ?? {})[0] ?? `${first.property}: is invalid`;
    throw new GatewayError('GW_INVALID_REQUEST', { message: message.startsWith('property ') ? `${first.property}: unknown field` : message });
  }
  return dto;
}
