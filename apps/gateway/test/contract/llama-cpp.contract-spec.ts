import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@turnout/testing';
import { describeKindContract } from './kind-contract';
import { anthropicWire, openAiWire } from './wire-writers';

const llama = (name: string) => readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'llama-server', name), 'utf8');

/** llama.cpp llama-server: real /props and error bodies from the recorded transcripts. */
describeKindContract({
  kind: 'llama-cpp',
  auth: 'bearer',
  probes: [
    { method: 'GET', path: '/props', reply: { headers: { 'content-type': 'application/json' }, body: llama('props.response.json') } },
    // The recorded build reports `b0-unknown`: the probe asks count_tokens whether /v1/messages exists.
    { method: 'POST', path: '/v1/messages/count_tokens', reply: { headers: { 'content-type': 'application/json' }, body: llama('count-tokens.response.json') } },
  ],
  autoMode: 'native',
  translate: { path: '/v1/chat/completions', wire: openAiWire('reasoning_content'), reasoningInput: 'reasoning_content', toolResultIdField: 'tool_call_id' },
  native: { wire: anthropicWire },
  error: {
    status: 400,
    body: JSON.parse(llama('messages-error-context-overflow.response.json')),
    expect: { status: 400, type: 'invalid_request_error', message: /^prompt is too long: 5010 tokens > 4096 maximum/ },
  },
  countTokens: {
    method: 'upstream-count-tokens',
    replies: [{ path: '/v1/messages/count_tokens', reply: { headers: { 'content-type': 'application/json' }, body: llama('count-tokens.response.json') } }],
  },
});
