/** Wire protocols Turnout speaks. A provider declares which of these it serves; translators are keyed by pairs. */
export type Protocol = 'anthropic-messages' | 'openai-chat' | 'ollama-chat';

/** The client-facing APIs a model request arrives by: a closed list (a metric label and a log field). */
export type InboundApi = 'messages' | 'chat_completions' | 'responses';

export type TranslatorId = `${Protocol}->${Protocol}`;
