/** Wire protocols Turnout speaks. A provider declares which of these it serves; translators are keyed by pairs. */
export type Protocol = 'anthropic-messages' | 'openai-chat' | 'ollama-chat';

export type TranslatorId = `${Protocol}->${Protocol}`;
