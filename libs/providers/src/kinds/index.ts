import { ANTHROPIC_KIND } from './anthropic.kind';
import { LLAMA_CPP_KIND } from './llama-cpp.kind';
import { LM_STUDIO_KIND } from './lm-studio.kind';
import { OLLAMA_KIND } from './ollama.kind';
import { OPENAI_KIND } from './openai.kind';
import type { ProviderKind, ProviderKindId } from './provider-kind';
import { VLLM_KIND } from './vllm.kind';

export * from './provider-kind';
export * from './provider-quirk';
export * from './version-requirement';

export const PROVIDER_KINDS: Readonly<Record<ProviderKindId, ProviderKind>> = Object.freeze({
  'llama-cpp': LLAMA_CPP_KIND,
  ollama: OLLAMA_KIND,
  vllm: VLLM_KIND,
  'lm-studio': LM_STUDIO_KIND,
  anthropic: ANTHROPIC_KIND,
  openai: OPENAI_KIND,
});
