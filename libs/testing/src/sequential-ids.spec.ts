import { sequentialIds } from './sequential-ids';

describe('sequentialIds', () => {
  it('counts per prefix, zero-padded', () => {
    const newId = sequentialIds();
    expect([newId('msg'), newId('toolu'), newId('toolu'), newId('msg')]).toEqual(['msg_000001', 'toolu_000001', 'toolu_000002', 'msg_000002']);
  });

  it('starts over for each generator', () => {
    sequentialIds()('msg');
    expect(sequentialIds()('msg')).toBe('msg_000001');
  });
});
