/**
 * Ollama native `POST /api/chat` request (docs/protocol.md §8.1). Ollama has no SDK we could borrow
 * types from, so these follow its `api/types.go` for the fields Turnout sends. `content` is a
 * plain string only; images are raw base64 (no `data:` prefix); tool-call arguments are a JSON
 * object, not a string.
 */

/** `think`: on/off, or a level (gpt-oss style; thinking models take it as "on"). */
export type OllamaThink = boolean | 'low' | 'medium' | 'high' | 'max';

export interface OllamaToolCall {
  /** Newer Ollama sets it (`call_…`); older ones send none. */
  id?: string;
  function: {
    /** Position of the call in the response; Ollama sets it on responses. */
    index?: number;
    name: string;
    /** An object, key order as produced (reordering keys changes the prompt: ollama commit ac83ac20c). */
    arguments: Record<string, unknown>;
  };
}

export interface OllamaSystemMessage {
  role: 'system';
  content: string;
}

export interface OllamaUserMessage {
  role: 'user';
  content: string;
  images?: string[];
}

export interface OllamaAssistantMessage {
  role: 'assistant';
  content: string;
  thinking?: string;
  tool_calls?: OllamaToolCall[];
}

/** A tool result; Ollama's docs ask for the name of the tool that was called. */
export interface OllamaToolMessage {
  role: 'tool';
  content: string;
  tool_call_id: string;
  tool_name: string;
  images?: string[];
}

export type OllamaChatMessage = OllamaSystemMessage | OllamaUserMessage | OllamaAssistantMessage | OllamaToolMessage;

/** Tools use the OpenAI function shape. */
export interface OllamaTool {
  type: 'function';
  function: {
    name: string;
    description?: string;
    parameters: Record<string, unknown>;
  };
}

/** Runner options (Modelfile parameters); only those Turnout sets. */
export interface OllamaOptions {
  num_predict?: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop?: string[];
  /** Context length to load the model with; the server default may silently truncate prompts. */
  num_ctx?: number;
}

export interface OllamaChatRequest {
  model: string;
  messages: OllamaChatMessage[];
  tools?: OllamaTool[];
  think?: OllamaThink;
  /** `"json"` or a JSON schema the output must follow. */
  format?: 'json' | Record<string, unknown>;
  options?: OllamaOptions;
  /** Defaults to true on Ollama: always sent explicitly. */
  stream: boolean;
  keep_alive?: string | number;
}
