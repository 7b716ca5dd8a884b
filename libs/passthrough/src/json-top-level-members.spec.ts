import { findTopLevelMembers } from './json-top-level-members';

const find = (text: string, key: string) => {
  const bytes = Buffer.from(text, 'utf8');
  return findTopLevelMembers(bytes, key)?.map(({ start, end }) => bytes.subarray(start, end).toString('utf8'));
};

describe('findTopLevelMembers', () => {
  it('returns each top-level value of the key, exactly as spelt', () => {
    expect(find('{"a":1.0e1 ,"b":[1,{"a":2}],"a" : {"x":"}"} }', 'a')).toEqual(['1.0e1', '{"x":"}"}']);
    expect(find('{"a":true,"b":null,"c":-0.5}', 'c')).toEqual(['-0.5']);
  });

  it('finds nothing in an object without the key', () => {
    expect(find('{}', 'a')).toEqual([]);
    expect(find(' { "b" : "a" } ', 'a')).toEqual([]);
  });

  it('matches non-ASCII keys and escaped spellings', () => {
    expect(find('{"clé":1,"cl\\u00e9":2}', 'clé')).toEqual(['1', '2']);
  });

  it('ignores keys with invalid escapes', () => {
    expect(find('{"a\\q":1,"a":2}', 'a')).toEqual(['2']);
  });

  it('is undefined for anything that is not one JSON object', () => {
    for (const text of ['', '   ', '[]', '1', '"a"', '{"a":}', '{"a" 1}', '{a:1}', '{"a":1,}', '{"a":1', '{"a":[1}', '{"a":"x}', '{"a":1}x', '{"a":1}{}']) {
      expect(find(text, 'a')).toBeUndefined();
    }
  });
});
