/* eslint-disable @typescript-eslint/no-require-imports */
import type * as Undici from 'undici';

/**
 * undici's Pool and its request API, without the package index. The index also loads fetch,
 * WebSocket, EventSource, the cache and mock agents and every interceptor: 4.7 MB of heap in
 * every gateway, against 1.8 MB for these parts (docs/performance.md, "Memory"). What follows is
 * what the index itself does for them in undici 7 (`lib/dispatcher/pool`, and `lib/api` mixed
 * into `Dispatcher.prototype`); a file moved upstream fails at load, which every test that
 * starts a gateway would show.
 */
const Dispatcher = require('undici/lib/dispatcher/dispatcher') as { prototype: object };
Object.assign(Dispatcher.prototype, require('undici/lib/api'));

export const Pool = require('undici/lib/dispatcher/pool') as typeof Undici.Pool;
