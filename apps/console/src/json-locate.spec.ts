import { lineOfPath, lineOfSyntaxError, pathOfMessage } from './json-locate';

const text = JSON.stringify(
  { providers: [{ id: 'a', kind: 'llama-cpp', base_url: 'http://h:1' }, { id: 'b', kind: 'vllm', base_url: 'http://h:2/v1/messages' }], routes: [{ match: '*', provider: 'b' }] },
  null,
  2,
);

describe('json-locate (the config editor puts the gateway error at its line)', () => {
  it('reads the field path a gateway message starts with', () => {
    expect(pathOfMessage('config: providers[1].base_url: "http://h:2/v1/messages" ends in "/v1/messages"')).toEqual(['providers', 1, 'base_url']);
    expect(pathOfMessage('routes[0].provider: unknown provider "x"')).toEqual(['routes', 0, 'provider']);
    expect(pathOfMessage('the admin API needs a token')).toBeUndefined();
  });

  it('finds the line of a member, an element, and the nearest parent of a missing field', () => {
    const lines = text.split('\n');
    const baseUrlB = lineOfPath(text, ['providers', 1, 'base_url'])!;
    expect(lines[baseUrlB - 1]).toContain('"http://h:2/v1/messages"');
    expect(lines[lineOfPath(text, ['routes', 0, 'provider'])! - 1]).toContain('"provider": "b"');
    // routes[0].timeout is not in the text: the route's own line is the best place.
    expect(lineOfPath(text, ['routes', 0, 'timeout'])).toBe(lineOfPath(text, ['routes', 0]));
    expect(lineOfPath('{"a": [1, ', ['a'])).toBeUndefined();
  });

  it('finds the line of a syntax error from either engine wording', () => {
    const broken = '{\n  "a": 1,\n  "b" 2\n}';
    let message = '';
    try {
      JSON.parse(broken);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(lineOfSyntaxError(broken, message)).toBe(3);
    expect(lineOfSyntaxError(broken, 'Unexpected number in JSON at position 17')).toBe(3);
    expect(lineOfSyntaxError(broken, 'no position here')).toBeUndefined();
  });
});
