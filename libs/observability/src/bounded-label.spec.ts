import { BoundedLabel, OTHER_LABEL } from './bounded-label';

describe('BoundedLabel', () => {
  it('keeps the first names up to the cap and folds the rest into _other', () => {
    const label = new BoundedLabel(2);
    expect(label.of('a')).toBe('a');
    expect(label.of('b')).toBe('b');
    expect(label.of('c')).toBe(OTHER_LABEL);
    expect(label.of('a')).toBe('a');
    expect(label.size).toBe(2);
  });

  it('lets configured names in first, so random client names cannot evict them', () => {
    const label = new BoundedLabel(2);
    label.admit(['claude-sonnet-4-6', 'claude-haiku-4-5', 'claude-opus-4-1']);
    expect(label.of('random-1')).toBe(OTHER_LABEL);
    expect(label.of('claude-haiku-4-5')).toBe('claude-haiku-4-5');
    expect(label.of('claude-opus-4-1')).toBe(OTHER_LABEL);
  });

  it('stays bounded under ten thousand distinct names', () => {
    const label = new BoundedLabel(50);
    const labels = new Set<string>();
    for (let i = 0; i < 10_000; i++) labels.add(label.of(`model-${i}`));
    expect(labels.size).toBe(51);
  });
});
