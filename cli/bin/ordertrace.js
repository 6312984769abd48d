#!/usr/bin/env node
'use strict';
// Launcher for the `ordertrace` CLI: runs the compiled CLI, dist/cli/main.js. `npm install` and
// `npm ci` build it (the package's `prepare` script); an install that skipped scripts builds it
// here, once, on first use. Nothing is compiled or scanned on an ordinary run, so the process
// starts as fast as node itself plus the modules the command needs.
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const entry = path.join(root, 'dist', 'cli', 'main.js');

function loadCli() {
  try {
    return require(entry);
  } catch (err) {
    if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(entry)) return null;
    throw err;
  }
}

let cli = loadCli();
if (cli === null) {
  require('./build-cli').buildCli(root);
  cli = require(entry);
}
cli.main(process.argv);
