import type { ScriptedUpstream } from './scripted-upstream';

/**
 * The gateway probes every provider at start and every minute (GET version/model endpoints, and
 * for llama.cpp a POST to `/v1/messages/count_tokens` to see whether the build serves Anthropic
 * Messages), and count_tokens tries the upstream's own counters before estimating. A test about
 * something else answers all of that with llama-server's 404, unrecorded, so it neither scripts
 * nor sees the traffic. Replies a test queues with `expect()` still take precedence.
 */
export function answerBackgroundTraffic(upstream: ScriptedUpstream): ScriptedUpstream {
  const notFound = { status: 404, json: { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } } };
  upstream.standing({ method: 'GET' }).respond(notFound);
  for (const path of ['/v1/messages/count_tokens', '/apply-template', '/tokenize']) upstream.standing({ method: 'POST', path }).respond(notFound);
  return upstream;
}
