import { textPart } from '../../src/anthropic-openai-chat/content-parts';
import { MISSING_TOOL_RESULT, repairToolPairing } from '../../src/anthropic-openai-chat/tool-pairing';
import { mergeAdjacent, userTurn, type AssistantTurn, type ToolResultItem, type Turn } from '../../src/anthropic-openai-chat/turns';

const result = (toolCallId: string, text: string): ToolResultItem => ({ toolCallId, text, images: [] });
const assistant = (callIds: string[], text = ''): AssistantTurn => ({
  role: 'assistant',
  reasoning: '',
  text,
  toolCalls: callIds.map((id) => ({ id, type: 'function', function: { name: 'Bash', arguments: '{}' } })),
});

describe('repairToolPairing', () => {
  it('leaves a well-paired conversation unchanged', () => {
    const turns: Turn[] = [userTurn([], [textPart('go')]), assistant(['a', 'b']), userTurn([result('b', 'B'), result('a', 'A')], [])];
    expect(repairToolPairing(turns)).toStrictEqual(turns);
  });

  it('answers unanswered calls after the real results, in call order', () => {
    const turns: Turn[] = [assistant(['a', 'b', 'c']), userTurn([result('b', 'B')], [textPart('stop')])];
    expect(repairToolPairing(turns)).toStrictEqual([
      assistant(['a', 'b', 'c']),
      userTurn([result('b', 'B'), result('a', MISSING_TOOL_RESULT), result('c', MISSING_TOOL_RESULT)], [textPart('stop')]),
    ]);
  });

  it('drops results that answer no call of the turn before, and duplicates', () => {
    const turns: Turn[] = [
      userTurn([result('old', 'x')], [textPart('hi')]),
      assistant(['a']),
      userTurn([result('a', 'A'), result('zz', '?'), result('a', 'again')], []),
    ];
    expect(repairToolPairing(turns)).toStrictEqual([userTurn([], [textPart('hi')]), assistant(['a']), userTurn([result('a', 'A')], [])]);
  });

  it('answers the calls of a final assistant turn', () => {
    expect(repairToolPairing([assistant(['a'], 'calling')])).toStrictEqual([
      assistant(['a'], 'calling'),
      userTurn([result('a', MISSING_TOOL_RESULT)], []),
    ]);
  });

  it('answers a repeated call id once', () => {
    expect(repairToolPairing([assistant(['a', 'a'])])).toStrictEqual([assistant(['a', 'a']), userTurn([result('a', MISSING_TOOL_RESULT)], [])]);
  });
});

describe('mergeAdjacent', () => {
  it('keeps tool results first when user turns merge', () => {
    const merged = mergeAdjacent([userTurn([], [textPart('first')]), userTurn([result('a', 'A')], [textPart('second')])]);
    expect(merged).toStrictEqual([userTurn([result('a', 'A')], [textPart('first'), textPart('second')])]);
  });

  it('joins assistant text and reasoning with a newline and concatenates calls', () => {
    const first: AssistantTurn = { ...assistant(['a'], 'one'), reasoning: 'r1' };
    const second: AssistantTurn = { ...assistant(['b'], 'two'), reasoning: '' };
    expect(mergeAdjacent([first, second])).toStrictEqual([{ ...assistant(['a', 'b'], 'one\ntwo'), reasoning: 'r1' }]);
  });
});
