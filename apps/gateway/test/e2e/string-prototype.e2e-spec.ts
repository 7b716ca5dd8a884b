import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, writeTempConfig } from '@turnout/testing';

/**
 * ioredis's `class VerbatimString extends String` (loaded when Redis is configured) leaves `String.prototype` in V8's slow
 * (dictionary) mode, which made every string method call in the relay a generic lookup (see
 * apps/gateway/src/string-prototype-fast-mode.ts). The built gateway must undo it: asked of V8
 * itself (`%HasFastProperties`, which needs --allow-natives-syntax, hence a child process).
 */
jest.setTimeout(30_000);

const run = promisify(execFile);

const SCRIPT = `
const dist = (path) => require(${JSON.stringify(join(REPO_ROOT, 'dist'))} + path);
const { createGateway } = dist('/apps/gateway/src/bootstrap.js');
const { loadGatewayEnv } = dist('/apps/gateway/src/env/gateway-env.js');
const { FileConfigStore } = dist('/libs/config-store/src/index.js');
// ioredis is loaded only when Redis is configured (REDIS_URL), always before createGateway.
require('ioredis');
(async () => {
  const afterLoading = %HasFastProperties(String.prototype);
  const env = loadGatewayEnv(process.env, { config: process.argv[1] });
  const store = new FileConfigStore(env.configPath);
  await store.start();
  const app = await createGateway({ env, store });
  const afterCreate = %HasFastProperties(String.prototype);
  await app.close();
  process.stdout.write('\\nRESULT ' + JSON.stringify({ afterLoading, afterCreate }) + '\\n');
})();
`;

it('loading ioredis leaves String.prototype slow, and createGateway makes it fast again', async () => {
  const config = writeTempConfig('providers:\n  - { id: u, kind: llama-cpp, base_url: "http://127.0.0.1:9" }\nroutes:\n  - { match: "*", provider: u }\n');
  const { stdout } = await run(process.execPath, ['--allow-natives-syntax', '-e', SCRIPT, config], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '' } });
  // The first half shows the test can fail: without the remedy the prototype stays slow.
  expect(JSON.parse(/^RESULT (.*)$/m.exec(stdout)?.[1] ?? 'null')).toEqual({ afterLoading: false, afterCreate: true });
});
