#!/usr/bin/env node
'use strict';
// Launcher for the `ordertrace` CLI. It must work straight after `npm install`, with no build step:
// it runs the compiled dist/cli/main.js when that is newer than every source the CLI loads, and
// otherwise compiles the TypeScript sources on the fly (see ts-require-hook.js).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
// The CLI loads its own sources, the proof core and the evidence report of the bundles module.
const SOURCE_DIRS = ['cli', 'proof', path.join('server', 'bundles')];

function newestSourceMtime(dir, depth) {
  let newest = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return newest;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth < 4) newest = Math.max(newest, newestSourceMtime(full, depth + 1));
    } else if (entry.name.endsWith('.ts')) {
      newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  }
  return newest;
}

function compiledEntryIfFresh() {
  const compiled = path.join(root, 'dist', 'cli', 'main.js');
  let compiledMtime;
  try {
    compiledMtime = fs.statSync(compiled).mtimeMs;
  } catch {
    return null;
  }
  for (const dir of SOURCE_DIRS) {
    if (newestSourceMtime(path.join(root, dir), 0) > compiledMtime) return null;
  }
  return compiled;
}

const compiled = process.env.ORDERTRACE_CLI_FROM_SOURCE ? null : compiledEntryIfFresh();
if (compiled) {
  require(compiled).main(process.argv);
} else {
  require('./ts-require-hook').register(root);
  require(path.join(root, 'cli', 'main.ts')).main(process.argv);
}
