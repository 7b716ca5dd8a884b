import { GatewayError } from '@turnout/errors';
import type { Protocol, TranslatorId } from '@turnout/protocol';
import { anthropicToOllamaChat } from './anthropic-ollama-chat';
import { anthropicToOpenAiChat } from './anthropic-openai-chat';
import type { Translator } from './translator';
import { withSafeguardResults } from './with-safeguard-results';

/**
 * Translators keyed by protocol pair, never by brand (docs/style.md rule 2). A provider says which
 * protocols it speaks; the pipeline asks for `(client protocol, upstream protocol)`.
 */
export class TranslatorTable {
  private readonly byId: ReadonlyMap<TranslatorId, Translator>;

  constructor(translators: readonly Translator[]) {
    this.byId = new Map(translators.map((t) => [t.id, t]));
  }

  /** Every pair this build serves. */
  static standard(): TranslatorTable {
    // Every translated upstream lacks Anthropic's safeguards classifier: Turnout answers for it.
    return new TranslatorTable([withSafeguardResults(anthropicToOpenAiChat) as Translator, withSafeguardResults(anthropicToOllamaChat) as Translator]);
  }

  get(client: Protocol, upstream: Protocol): Translator {
    const translator = this.byId.get(`${client}->${upstream}`);
    if (!translator) {
      throw new GatewayError('GW_NOT_IMPLEMENTED', { message: `no translator from ${client} to ${upstream}` });
    }
    return translator;
  }
}
