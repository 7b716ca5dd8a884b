#!/usr/bin/env node
'use strict';
// The `turnout` command: runs the built gateway (npm run build writes dist/).
const path = require('node:path');
const dist = path.join(__dirname, '..', 'dist', 'apps', 'gateway', 'src');
const entry = path.join(dist, 'main.js');
let main;
try {
  // V8's heap sizing first: it must be in force while the gateway's modules load (docs/performance.md).
  require(path.join(dist, 'memory', 'heap-settings.js')).applyHeapSettings();
  main = require(entry);
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(dist)) {
    process.stderr.write('turnout: not built yet; run `npm run build` first\n');
    process.exit(1);
  }
  if (error && error.name === 'HeapSettingsError') {
    process.stderr.write(`turnout: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
main.runCli(process.argv.slice(2)).then(
  (code) => { if (code !== 0) process.exit(code); },
  (error) => { process.stderr.write(`turnout: ${error && error.stack ? error.stack : String(error)}\n`); process.exit(1); },
);
