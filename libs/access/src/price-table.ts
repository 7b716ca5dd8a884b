import type { ModelPrice } from '@turnout/config';
import { compileModelPattern } from '@turnout/routing';

/** The config's optional prices: the first glob matching the requested model prices its tokens. */
export function costUsd(prices: readonly ModelPrice[], model: string, inputTokens: number, outputTokens: number): number {
  const price = prices.find((candidate) => compileModelPattern(candidate.model)(model));
  if (!price) return 0;
  return (inputTokens * price.inputUsdPerMtok + outputTokens * price.outputUsdPerMtok) / 1_000_000;
}
