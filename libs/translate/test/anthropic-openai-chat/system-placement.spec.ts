import { jsonClone } from '@turnout/testing';
import { textPart } from '../../src/anthropic-openai-chat/content-parts';
import { placeSystemEntries, systemText } from '../../src/anthropic-openai-chat/system-placement';
import { userTurn, type AssistantTurn, type ConversationItem, type SystemEntry, type ToolResultItem } from '../../src/anthropic-openai-chat/turns';

const system = (text: string): SystemEntry => ({ role: 'system', text });
const user = (...texts: string[]) => userTurn([], texts.map(textPart));
const results = (...items: Array<[string, string]>) =>
  userTurn(items.map(([toolCallId, text]): ToolResultItem => ({ toolCallId, text, images: [] })), []);
const assistant = (text: string, callIds: string[] = []): AssistantTurn => ({
  role: 'assistant',
  reasoning: '',
  text,
  toolCalls: callIds.map((id) => ({ id, type: 'function', function: { name: 'Bash', arguments: '{}' } })),
});

describe('systemText', () => {
  it('joins text blocks with a blank line and ignores other blocks and empty text', () => {
    expect(systemText([{ type: 'text', text: 'a' }, { type: 'image' }, { type: 'text', text: '' }, { type: 'text', text: 'b' }])).toBe('a\n\nb');
  });
  it('keeps a string as is and reads anything else as empty', () => {
    expect(systemText('  as is ')).toBe('  as is ');
    expect(systemText(undefined)).toBe('');
    expect(systemText(42)).toBe('');
  });
});

describe('placeSystemEntries', () => {
  it('extends the system prompt with the leading run only', () => {
    const placed = placeSystemEntries('top', [system('one'), system('two'), user('hi')]);
    expect(placed.systemPrompt).toBe('top\n\none\n\ntwo');
    expect(placed.turns).toStrictEqual([user('hi')]);
  });

  it('appends a later entry to the previous user turn, never hoisting it', () => {
    const placed = placeSystemEntries('top', [user('hi'), system('late'), assistant('ok'), user('next')]);
    expect(placed.systemPrompt).toBe('top');
    expect(placed.turns).toStrictEqual([user('hi', 'late'), assistant('ok'), user('next')]);
  });

  it('prepends an entry after an assistant turn to the next user turn', () => {
    const placed = placeSystemEntries('', [user('hi'), assistant('ok'), system('late'), user('next')]);
    expect(placed.turns).toStrictEqual([user('hi'), assistant('ok'), user('late', 'next')]);
  });

  it('puts an entry between tool_use and a results-only turn at the end of the last result', () => {
    const placed = placeSystemEntries('', [user('go'), assistant('', ['t1', 't2']), system('late'), results(['t1', 'A'], ['t2', 'B'])]);
    expect(placed.turns).toStrictEqual([user('go'), assistant('', ['t1', 't2']), results(['t1', 'A'], ['t2', 'B\n\nlate'])]);
  });

  it('never creates a user message right after tool results', () => {
    const placed = placeSystemEntries('', [assistant('', ['t1']), results(['t1', '']), system('late'), assistant('done')]);
    expect(placed.turns).toStrictEqual([assistant('', ['t1']), results(['t1', 'late']), assistant('done')]);
  });

  it('joins a run of later entries and gives it its own user turn between two assistant turns', () => {
    const items: ConversationItem[] = [user('hi'), assistant('a'), system('s1'), system(''), system('s2'), assistant('b')];
    expect(placeSystemEntries('', items).turns).toStrictEqual([user('hi'), assistant('a'), user('s1\n\ns2'), assistant('b')]);
  });

  it('drops entries without text', () => {
    expect(placeSystemEntries('', [user('hi'), system(''), assistant('a')]).turns).toStrictEqual([user('hi'), assistant('a')]);
  });

  it('does not modify the items it is given', () => {
    const items: ConversationItem[] = Object.freeze([user('hi'), system('late'), results(['t', 'x']), system('later')]) as ConversationItem[];
    const copy = jsonClone(items);
    placeSystemEntries('', items);
    expect(items).toStrictEqual(copy);
  });
});
