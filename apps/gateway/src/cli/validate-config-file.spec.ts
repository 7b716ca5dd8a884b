import { findConfigProblem } from './validate-config-file';

const VALID = `providers:
  - id: local
    kind: llama-cpp
    base_url: http://127.0.0.1:8080
routes:
  - match: "*"
    provider: local
`;

describe('findConfigProblem (turnout config validate)', () => {
  it('accepts a valid file', () => {
    expect(findConfigProblem(VALID)).toBeUndefined();
  });

  it('points at an unknown key by line and column, and names the key that was meant', () => {
    const text = VALID.replace('    base_url:', '    base_ur:');
    expect(findConfigProblem(text)).toEqual({ line: 4, column: 5, message: 'providers[0].base_ur: unknown field; did you mean "base_url"?' });
  });

  it('suggests within nested sections, from that section\'s own keys', () => {
    const text = `${VALID.replace('    base_url: http://127.0.0.1:8080\n', '    base_url: http://127.0.0.1:8080\n    timeouts:\n      idel_ms: 1000\n')}`;
    expect(findConfigProblem(text)).toEqual({ line: 6, column: 7, message: 'providers[0].timeouts.idel_ms: unknown field; did you mean "idle_ms"?' });
    const route = VALID.replace('    provider: local\n', '    provider: local\n    fallback: [local]\n');
    expect(findConfigProblem(route)?.message).toBe('routes[0].fallback: unknown field; did you mean "fallbacks"?');
  });

  it('gives no suggestion when nothing is close', () => {
    const text = VALID.replace('    base_url:', '    colour: blue\n    base_url:');
    expect(findConfigProblem(text)).toEqual({ line: 4, column: 5, message: 'providers[0].colour: unknown field' });
  });

  it('points at a bad value', () => {
    const text = VALID.replace('kind: llama-cpp', 'kind: llama');
    expect(findConfigProblem(text)).toMatchObject({ line: 3, column: 11, message: expect.stringMatching(/^providers\[0\]\.kind: must be one of/) });
    const wrongBase = VALID.replace('8080', '8080/v1');
    expect(findConfigProblem(wrongBase)).toMatchObject({ line: 4, column: 15, message: expect.stringContaining('write base_url: http://127.0.0.1:8080') });
  });

  it('points at the parent when a required field is missing, and at a cross-reference by its value', () => {
    expect(findConfigProblem(VALID.replace('    kind: llama-cpp\n', ''))).toMatchObject({ line: 2, column: 5, message: expect.stringMatching(/^providers\[0\]\.kind/) });
    expect(findConfigProblem(VALID.replace('provider: local', 'provider: remote'))).toMatchObject({ line: 7, column: 15, message: 'routes[0].provider: unknown provider "remote" (configured: local)' });
  });

  it('reports YAML syntax errors with their place', () => {
    expect(findConfigProblem('providers:\n  - id: [unclosed\nroutes: []\n')).toMatchObject({ line: expect.any(Number), column: expect.any(Number), message: expect.stringMatching(/^not valid YAML: /) });
  });
});
