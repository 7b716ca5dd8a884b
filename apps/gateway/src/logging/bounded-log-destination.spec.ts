import { Writable } from 'node:stream';
import pino from 'pino';
import { BoundedLogDestination } from './bounded-log-destination';
import { createProcessLogger } from './process-log';

/** A log consumer that has stopped reading: every write is queued, none completes until `resume`. */
function stalledOutput(): { stream: Writable; received: string[]; resume: () => void } {
  const received: string[] = [];
  const pending: Array<() => void> = [];
  const stream = new Writable({
    highWaterMark: 1024,
    decodeStrings: false,
    write(chunk: string, _encoding, callback) {
      received.push(chunk);
      pending.push(() => callback());
    },
  });
  return { stream, received, resume: () => pending.splice(0).forEach((done) => done()) };
}

const LINES = 10_000;
const BOUND = 64 * 1024;

describe('the process logger with a stalled stdout', () => {
  it('queues at most the bound (plus one line) where pino alone queues every line', () => {
    const unbounded = stalledOutput();
    const plain = pino({ base: undefined }, unbounded.stream);
    for (let i = 0; i < LINES; i++) plain.info({ request_id: `req_${i}`, model: 'claude-sonnet-4-5' }, 'request');
    // The control: without the bound, all 10,000 lines (~1 MB) wait in memory.
    expect(unbounded.stream.writableLength).toBeGreaterThan(LINES * 50);

    const stalled = stalledOutput();
    const logger = createProcessLogger('json', 'info', stalled.stream, BOUND);
    for (let i = 0; i < LINES; i++) logger.info({ request_id: `req_${i}`, model: 'claude-sonnet-4-5' }, 'request');
    expect(stalled.stream.writableLength).toBeGreaterThan(BOUND);
    expect(stalled.stream.writableLength).toBeLessThan(BOUND + 1024);
  });
});

describe('BoundedLogDestination', () => {
  it('drops and counts lines while the backlog is over the bound, says so once, and says when it caught up', async () => {
    const stalled = stalledOutput();
    const warnings: string[] = [];
    const destination = new BoundedLogDestination(stalled.stream, 4096, (message) => warnings.push(message));
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 100; i++) destination.write(line);
    expect(stalled.stream.writableLength).toBe(4100); // 41 lines: the one that crossed the bound is kept
    expect(destination.dropped).toBe(59);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/dropping log lines while more than 4096 bytes wait \(TURNOUT_LOG_MAX_BACKLOG_BYTES\)/);

    // The consumer reads again: the stream hands it the queued lines one write at a time.
    for (let turns = 0; stalled.stream.writableLength > 0 && turns < 1000; turns++) {
      stalled.resume();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(stalled.stream.writableLength).toBe(0);
    destination.write('after\n');
    expect(stalled.received.at(-1)).toBe('after\n');
    expect(warnings[1]).toBe('turnout: the log output caught up; 59 log lines dropped so far');
  });
});
