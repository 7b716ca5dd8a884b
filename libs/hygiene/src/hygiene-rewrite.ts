/**
 * The names a rewrite is reported under (response header, metrics label). Bounded: the only
 * variable part is the `drop-fields(...)` list, which comes from operator config.
 */
export const HYGIENE_REWRITES = Object.freeze({
  stripBillingHeader: 'strip-billing-header',
  foldSystemMessages: 'fold-system-messages',
  dropCacheControl: 'drop-cache-control',
  dropForeignThinking: 'drop-foreign-thinking',
  dropEmptyText: 'drop-empty-text',
  toolIdsMistral9: 'tool-ids-mistral9',
} as const);

/** `drop-fields(a,b)`: only the fields that were present, in config order. */
export function dropFieldsRewrite(fields: readonly string[]): string {
  return `drop-fields(${fields.join(',')})`;
}
