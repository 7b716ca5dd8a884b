// Other gateways in the same benchmark run (`npm run bench -- --peers`), so their rows sit
// beside the direct upstream, the raw proxy and Turnout with ratios from the same minutes on the
// same machine. Each peer is installed at a pinned version from npm into bench/.peers/ (ignored
// by git, never the repo's node_modules), configured against the scripted upstream, started on
// the gateway's CPU like Turnout, and checked with one request before it is measured. A peer
// that cannot be installed (no network) or does not answer correctly is reported and left out.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stop } from './processes.mjs';

const root = new URL('..', import.meta.url).pathname;
const CACHE = join(root, 'bench/.peers');
const INSTALL_TIMEOUT_MS = 300_000;
const READY_TIMEOUT_MS = 30_000;

/**
 * Each peer in the mode it naturally serves for an Anthropic client:
 * - Portkey's /v1/messages route forwards to providers that speak Messages (anthropic, bedrock,
 *   vertex); for an OpenAI-compatible provider it answers "messages is not supported by openai",
 *   so it is measured in passthrough only, with provider `anthropic` at the scripted upstream.
 * - claude-code-router takes Anthropic requests and translates them to OpenAI Chat Completions
 *   (its purpose), so it is measured in translate only.
 */
export const PEERS = [
  {
    id: 'portkey',
    label: 'Portkey 1.15.2 passthrough',
    mode: 'native',
    package: '@portkey-ai/gateway',
    version: '1.15.2',
    start: startPortkey,
  },
  {
    id: 'claude-code-router',
    label: 'claude-code-router 2.0.0 translate',
    mode: 'translate',
    package: '@musistudio/claude-code-router',
    version: '2.0.0',
    start: startClaudeCodeRouter,
  },
];

/**
 * Installs (once, cached), starts and checks every peer. `start(cpu, argv, env, pattern)` is the
 * benchmark's own process starter (pinned to `cpu`). Resolves with the peers that answered
 * correctly: `{ label, mode, version, child, port, url, headers, bodyFor(anthropicBody) }`.
 */
export async function startPeers({ upstreamUrl, start, cpu }) {
  const running = [];
  for (const peer of PEERS) {
    let started;
    try {
      const dir = await install(peer);
      started = { ...peer, ...(await peer.start({ dir, upstreamUrl, start, cpu })), resolved: resolvedVersions(dir, peer) };
      await answersCorrectly(started);
      running.push(started);
      console.error(`peers: ${peer.label} ready on port ${started.port} (${started.resolved})`);
    } catch (error) {
      console.error(`peers: ${peer.label} left out of this run: ${error.message.split('\n')[0]}`);
      if (started) await stopPeers([started]);
    }
  }
  return running;
}

export const stopPeers = (peers) =>
  Promise.all(
    peers.map(async (peer) => {
      await stop(peer.child);
      if (peer.home) rmSync(peer.home, { recursive: true, force: true });
    }),
  );

// ---------------------------------------------------------------------------------------------
async function install(peer) {
  const dir = join(CACHE, `${peer.id}@${peer.version}`);
  const installed = join(dir, 'node_modules', peer.package, 'package.json');
  if (existsSync(installed) && JSON.parse(readFileSync(installed, 'utf8')).version === peer.version) return dir;
  mkdirSync(dir, { recursive: true });
  console.error(`peers: installing ${peer.package}@${peer.version} into ${dir}`);
  await new Promise((resolve, reject) =>
    execFile('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `${peer.package}@${peer.version}`], { timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 << 20 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`npm install ${peer.package}@${peer.version} failed: ${(stderr || error.message).trim().split('\n').slice(0, 2).join(' ')}`)) : resolve(),
    ),
  );
  return dir;
}

/** The peer's version and the versions npm resolved for the dependencies that shape its HTTP path. */
function resolvedVersions(dir, peer) {
  const version = (name) => {
    const file = join(dir, 'node_modules', name, 'package.json');
    return existsSync(file) ? `${name}@${JSON.parse(readFileSync(file, 'utf8')).version}` : undefined;
  };
  return [version(peer.package), ...(peer.id === 'portkey' ? [version('@hono/node-server'), version('hono')] : [])].filter(Boolean).join(', ');
}

/** A port nobody listens on now: both peers take a fixed port rather than printing the one they got. */
const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function startPortkey({ dir, upstreamUrl, start, cpu }) {
  const port = await freePort();
  const entry = join(dir, 'node_modules/@portkey-ai/gateway/build/start-server.js');
  // --headless: no web UI and no log stream route; the gateway prints "Ready for connections!".
  const { child } = await start(cpu, [process.execPath, '--import', join(root, 'bench/portkey-fetch-shim.mjs'), entry, `--port=${port}`, '--headless'], {}, /Ready for connections/);
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}/v1/messages`,
    // Portkey takes its routing per request, in headers: provider anthropic at the scripted upstream.
    headers: { 'x-portkey-provider': 'anthropic', 'x-portkey-custom-host': `${upstreamUrl}/v1` },
    bodyFor: (anthropicBody) => anthropicBody,
  };
}

async function startClaudeCodeRouter({ dir, upstreamUrl, start, cpu }) {
  const port = await freePort();
  // It reads ~/.claude-code-router/config.json: a private HOME keeps the user's own config out.
  const home = mkdtempSync(join(tmpdir(), 'turnout-bench-ccr-'));
  mkdirSync(join(home, '.claude-code-router'));
  const config = {
    HOST: '127.0.0.1',
    PORT: port,
    LOG: false,
    Providers: [{ name: 'bench', api_base_url: `${upstreamUrl}/v1/chat/completions`, api_key: 'bench', models: ['claude-bench'] }],
    Router: { default: 'bench,claude-bench' },
  };
  writeFileSync(join(home, '.claude-code-router/config.json'), JSON.stringify(config, null, 2));
  // `ccr start` serves in the foreground process; it prints nothing once it listens, so wait for the port.
  const { child } = await start(cpu, [process.execPath, join(dir, 'node_modules/@musistudio/claude-code-router/dist/cli.js'), 'start'], { HOME: home }, /Loaded JSON config/);
  await waitForHttp(`http://127.0.0.1:${port}/`);
  return {
    child,
    port,
    home,
    url: `http://127.0.0.1:${port}/v1/messages`,
    headers: {},
    // Its router sends every model to Router.default (claude-bench), which would drop the
    // upstream's `-delayN` from the slow-token scenario's model: that one names provider,model
    // explicitly, which the router honours as is.
    bodyFor: (anthropicBody) => {
      const body = JSON.parse(anthropicBody);
      return /-delay\d+/.test(body.model) ? JSON.stringify({ ...body, model: `bench,${body.model}` }) : anthropicBody;
    },
  };
}

async function waitForHttp(url) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${READY_TIMEOUT_MS} ms: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const requestHeaders = (peer) => ({ 'content-type': 'application/json', 'x-api-key': 'bench', 'anthropic-version': '2023-06-01', ...peer.headers });

/** One unary and one streamed request: an Anthropic message back, and a stream that ends with message_stop. */
async function answersCorrectly(peer) {
  const ask = (extra) => fetch(peer.url, { method: 'POST', headers: requestHeaders(peer), body: peer.bodyFor(JSON.stringify({ model: 'claude-bench', messages: [{ role: 'user', content: 'hello' }], max_tokens: 4, ...extra })) });
  const unary = await ask({});
  const message = await unary.json().catch(() => undefined);
  if (!unary.ok || message?.type !== 'message' || message.content?.[0]?.text !== 'tok '.repeat(4)) throw new Error(`unary request answered ${unary.status}: ${JSON.stringify(message)}`);
  const stream = await ask({ stream: true });
  const text = await stream.text();
  if (!stream.ok || (text.match(/content_block_delta/g) ?? []).length < 4 || !text.includes('message_stop')) throw new Error(`streamed request answered ${stream.status}: ${text.slice(0, 200)}`);
}
