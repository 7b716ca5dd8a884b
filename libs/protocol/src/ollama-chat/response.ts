import type { OllamaToolCall } from './request';

/**
 * Ollama `/api/chat` response (docs/protocol.md §8.2, §8.3). The non-streaming body and every NDJSON
 * stream line share this shape: stream lines carry deltas with `done:false`, and the last line
 * (`done:true`) carries `done_reason` and the metrics. Durations are nanoseconds.
 */
export interface OllamaChatResponse {
  model: string;
  created_at: string;
  message: {
    role: 'assistant';
    content: string;
    thinking?: string;
    /** Complete calls (whole `arguments` object), never fragments; several may share a line. */
    tool_calls?: OllamaToolCall[];
  };
  done: boolean;
  /** `stop`, `length`, or `load`/`unload` for model management calls. */
  done_reason?: string;
  total_duration?: number;
  load_duration?: number;
  /** Whole prompt (cached + processed); omitted by some versions when 0. */
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
}

/** An error, as an HTTP body (status 400/404/500…) or as a stream line while the status stays 200. */
export interface OllamaErrorBody {
  error: string;
}

export type OllamaChatStreamLine = OllamaChatResponse | OllamaErrorBody;
