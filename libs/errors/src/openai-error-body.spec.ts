import { GatewayError } from './gateway-error';
import { toOpenAiErrorBody } from './openai-error-body';

describe('toOpenAiErrorBody', () => {
  it('words the error table for OpenAI clients: message, a type they know, the field as param, the stable code', () => {
    expect(toOpenAiErrorBody(new GatewayError('GW_ROUTE_NOT_FOUND', { message: 'model: no route matches "x"' }))).toEqual({
      error: { message: 'model: no route matches "x"', type: 'not_found_error', param: 'model', code: 'GW_ROUTE_NOT_FOUND' },
    });
    expect(toOpenAiErrorBody(new GatewayError('GW_INVALID_REQUEST', { message: 'messages[0].role: Field required' })).error.param).toBe('messages[0].role');
    expect(toOpenAiErrorBody(new GatewayError('GW_INVALID_REQUEST', { message: 'body: must be a JSON object' })).error.param).toBeNull();
  });

  it('gives server-side failures no param, and OpenAI types for Anthropic-only ones', () => {
    expect(toOpenAiErrorBody(new GatewayError('GW_UPSTREAM_OVERLOADED', { message: 'x: busy' })).error).toEqual({ message: 'x: busy', type: 'server_error', param: null, code: 'GW_UPSTREAM_OVERLOADED' });
    expect(toOpenAiErrorBody(new GatewayError('GW_RATE_LIMITED')).error.type).toBe('rate_limit_error');
    expect(toOpenAiErrorBody(new GatewayError('GW_UPSTREAM_BILLING')).error.type).toBe('insufficient_quota');
  });
});
