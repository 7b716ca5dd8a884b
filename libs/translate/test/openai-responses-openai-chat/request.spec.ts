import { GatewayError } from '@turnout/errors';
import { responsesToChatRequest } from '../../src/openai-responses-openai-chat/request';

describe('responsesToChatRequest', () => {
  it('turns input items into chat messages: instructions first, calls of one turn on one assistant message, outputs as tool messages', () => {
    const { chat, dropped } = responsesToChatRequest({
      model: 'm',
      instructions: 'Be brief.',
      input: [
        { role: 'developer', content: 'Rule.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Look:' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' }, { type: 'input_file', file_id: 'f1' }] },
        { type: 'reasoning', id: 'rs_1', summary: [] },
        { type: 'function_call', call_id: 'c1', name: 'a', arguments: '{"x":1}' },
        { type: 'function_call', call_id: 'c2', name: 'b', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'one' },
        { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'two' }] },
        { role: 'assistant', content: [{ type: 'output_text', text: 'Done.' }] },
      ],
      tools: [{ type: 'function', name: 'a', description: 'A', parameters: { type: 'object' }, strict: true }, { type: 'web_search' }],
      tool_choice: { type: 'function', name: 'a' },
      parallel_tool_calls: false,
      max_output_tokens: 99,
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
      reasoning: { effort: 'low' },
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      truncation: 'auto',
    });
    expect(chat).toEqual({
      model: 'm',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'system', content: 'Rule.' },
        { role: 'user', content: [{ type: 'text', text: 'Look:' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } }] },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
            { id: 'c2', type: 'function', function: { name: 'b', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'one' },
        { role: 'tool', tool_call_id: 'c2', content: 'two' },
        { role: 'assistant', content: 'Done.' },
      ],
      tools: [{ type: 'function', function: { name: 'a', parameters: { type: 'object' }, description: 'A', strict: true } }],
      tool_choice: { type: 'function', function: { name: 'a' } },
      parallel_tool_calls: false,
      max_tokens: 99,
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
      reasoning_effort: 'low',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(dropped).toEqual(['include', 'truncation']);
  });

  it('takes a string input as one user message', () => {
    expect(responsesToChatRequest({ model: 'm', input: 'hi' }).chat).toEqual({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
  });

  it.each(['previous_response_id', 'conversation'])('refuses %s: the endpoint is stateless', (field) => {
    let thrown: unknown;
    try {
      responsesToChatRequest({ model: 'm', input: 'hi', [field]: 'x' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect((thrown as GatewayError).status).toBe(400);
    expect((thrown as GatewayError).message).toMatch(new RegExp(`^${field}: .*stateless`));
  });
});
