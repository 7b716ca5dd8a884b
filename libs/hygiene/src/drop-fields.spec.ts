import { applyHygiene } from '@turnout/hygiene';
import { claudeCodeRequest, only, request } from '../test/hygiene-test-support';

describe('drop-fields', () => {
  it('removes the listed fields that are present and names only those', () => {
    const body = claudeCodeRequest('a-first-turn-hello');
    const { request: cleaned, rewrites } = applyHygiene(body, only({ dropFields: ['output_config', 'service_tier', 'context_management'] }));
    expect(rewrites).toEqual(['drop-fields(output_config,context_management)']);
    expect(Object.keys(cleaned)).toEqual(['model', 'messages', 'system', 'tools', 'metadata', 'max_tokens', 'thinking', 'stream']);
    expect(body.output_config).toEqual({ effort: 'medium' });
    expect(cleaned.messages).toBe(body.messages);
  });

  it('names a field listed twice once', () => {
    const body = request({ messages: [{ role: 'user', content: 'hi' }], metadata: { user_id: 'u' } });
    expect(applyHygiene(body, only({ dropFields: ['metadata', 'metadata'] })).rewrites).toEqual(['drop-fields(metadata)']);
  });

  it('returns the same request when none of the fields is present', () => {
    const body = claudeCodeRequest('d-haiku-no-experimental-betas');
    expect(applyHygiene(body, only({ dropFields: ['context_management'] })).request).toBe(body);
  });

  it('never drops the envelope the gateway relies on', () => {
    const body = request({ messages: [{ role: 'user', content: 'hi' }] });
    const result = applyHygiene(body, only({ dropFields: ['model', 'messages', 'max_tokens'] }));
    expect(result).toEqual({ request: body, rewrites: [] });
  });
});
