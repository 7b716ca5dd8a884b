/** The value every name past the cap is counted under. */
export const OTHER_LABEL = 'other';

/**
 * A label whose values come from clients (the requested model name) must not grow without
 * bound: every distinct value is a new time series in every family that carries it. The first
 * `cap` distinct values keep their name; later ones share `other`. Values seen before keep
 * their label forever, so a series never changes name mid-life.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly cap: number) {}

  /** Pre-admits names known in advance (configured route names), so traffic order cannot evict them. */
  admit(values: Iterable<string>): void {
    for (const value of values) {
      if (this.seen.size >= this.cap) return;
      this.seen.add(value);
    }
  }

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.cap) return OTHER_LABEL;
    this.seen.add(value);
    return value;
  }

  get size(): number {
    return this.seen.size;
  }
}
