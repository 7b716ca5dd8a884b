import { GatewayError } from '@turnout/errors';
import { validateChatEnvelope } from './chat-envelope';
import { validateResponsesEnvelope } from './responses-envelope';

function refusal(check: () => unknown): string {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(400);
    return (error as GatewayError).message;
  }
  throw new Error('accepted');
}

describe('OpenAI envelopes', () => {
  it('chat: names the field that is missing or wrong, OpenAI-style', () => {
    expect(refusal(() => validateChatEnvelope([]))).toBe('body: must be a JSON object');
    expect(refusal(() => validateChatEnvelope({ messages: [{ role: 'user', content: 'x' }] }))).toBe('model: Field required');
    expect(refusal(() => validateChatEnvelope({ model: 'm' }))).toBe('messages: Field required');
    expect(refusal(() => validateChatEnvelope({ model: 'm', messages: [] }))).toBe('messages: must be a non-empty array');
    expect(refusal(() => validateChatEnvelope({ model: 'm', messages: [{ content: 'x' }] }))).toBe('messages[0].role: Field required');
    expect(refusal(() => validateChatEnvelope({ model: 'm', messages: [{ role: 'user' }], stream: 'yes' }))).toBe('stream: must be a boolean');
  });

  it('chat: bounds n (the answers one request may ask for) at 8', () => {
    const body = (n: unknown) => ({ model: 'm', messages: [{ role: 'user', content: 'x' }], n });
    expect(validateChatEnvelope(body(8))).toEqual(body(8));
    expect(refusal(() => validateChatEnvelope(body(9)))).toBe('n: must be an integer from 1 to 8');
    expect(refusal(() => validateChatEnvelope(body(0)))).toBe('n: must be an integer from 1 to 8');
    expect(refusal(() => validateChatEnvelope(body(1.5)))).toBe('n: must be an integer from 1 to 8');
  });

  it('responses: model and input (a string or items) are required', () => {
    expect(refusal(() => validateResponsesEnvelope({ input: 'x' }))).toBe('model: Field required');
    expect(refusal(() => validateResponsesEnvelope({ model: 'm' }))).toBe('input: Field required');
    expect(refusal(() => validateResponsesEnvelope({ model: 'm', input: 3 }))).toBe('input: must be a string or an array of items');
    expect(validateResponsesEnvelope({ model: 'm', input: [] })).toEqual({ model: 'm', input: [] });
  });
});
