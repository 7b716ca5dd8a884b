import { Logger } from '@nestjs/common';

const logger = new Logger('OpenAI');

/**
 * Fields an OpenAI request carried that the Anthropic view leaves out (they still reach
 * OpenAI-compatible upstreams on passthrough): one debug line, the field names only.
 */
export const dropLogger = {
  dropped(api: string, fields: readonly string[]): void {
    if (fields.length > 0) logger.debug(`${api}: no Anthropic twin for ${fields.slice(0, 16).join(', ')}`);
  },
};
