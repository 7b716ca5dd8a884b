import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, readFixture, REPO_ROOT, translateStream } from './cases';

/** fixtures/res-<case>/: a chat stream (`meta.streamFrom`) → the exact Responses events, numbers and ids included. */
describe.each(readdirSync(FIXTURES).filter((name) => name.startsWith('res-')))('openai-responses ← openai-chat events: %s', (name) => {
  it('are exactly the expected ones', async () => {
    const meta = readFixture(name, 'meta.json') as { streamFrom: string };
    const { events, error } = await translateStream([readFileSync(join(REPO_ROOT, meta.streamFrom))]);
    expect(error).toBeUndefined();
    expect(events).toEqual(readFixture(name, 'responses.events.json'));
  });
});
