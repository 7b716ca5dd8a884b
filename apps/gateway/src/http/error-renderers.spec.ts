import { GatewayError } from '@turnout/errors';
import { ANTHROPIC_ERRORS, errorRendererForPath, OPENAI_CHAT_ERRORS } from './error-renderers';

describe('error renderers', () => {
  it('pick OpenAI wording for the OpenAI families, Anthropic for everything else', () => {
    for (const url of ['/v1/chat/completions', '/v1/chat/completions?x=1', '/v1/responses', '/v1/responses/resp_1']) expect(errorRendererForPath(url)).toBe(OPENAI_CHAT_ERRORS);
    for (const url of ['/v1/messages', '/v1/messages?beta=true', '/v1/models', '/v1/responsesx', '/nope']) expect(errorRendererForPath(url)).toBe(ANTHROPIC_ERRORS);
  });

  it('end a chat stream with one data-only error frame, and ping with a comment', () => {
    const error = new GatewayError('GW_UPSTREAM_ERROR', { message: 'boom' });
    expect(OPENAI_CHAT_ERRORS.streamFrames(error, 'req_1')).toBe('data: {"error":{"message":"boom","type":"server_error","param":null,"code":"GW_UPSTREAM_ERROR"}}\n\n');
    expect(OPENAI_CHAT_ERRORS.ping).toBe(': ping\n\n');
    expect(ANTHROPIC_ERRORS.streamFrames(error, 'req_1')).toBe('event: error\ndata: {"type":"error","error":{"type":"api_error","message":"boom"},"request_id":"req_1"}\n\n');
  });
});
