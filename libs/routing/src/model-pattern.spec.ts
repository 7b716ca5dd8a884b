import { compileModelPattern } from './model-pattern';

describe('compileModelPattern', () => {
  it.each([
    ['claude-*haiku*', 'claude-haiku-5-5', true],
    ['claude-*haiku*', 'claude-3-5-haiku-20241022', true],
    ['claude-*haiku*', 'claude-sonnet-4-5', false],
    ['*', '', true],
    ['*', 'anything at all', true],
    ['qwen3:8b', 'qwen3:8b', true],
    ['qwen3:8b', 'qwen3:8bx', false],
    ['gpt-4?', 'gpt-4o', true],
    ['gpt-4?', 'gpt-4', false],
    ['org/model.v1', 'org/model.v1', true],
    ['org/model.v1', 'org/modelXv1', false],
    ['a+b(c)', 'a+b(c)', true],
    ['claude-*', 'claude-\nopus', true],
  ])('%s matches %j: %s', (pattern, model, expected) => {
    expect(compileModelPattern(pattern)(model)).toBe(expected);
  });
});
