'use strict';
// First-use build of the CLI, for installs that skipped the `prepare` script (--ignore-scripts).
// Same command as `npm run build:cli`; needs the TypeScript compiler (a dev dependency).
const { spawnSync } = require('node:child_process');
const path = require('node:path');

function buildCli(root) {
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    process.stderr.write('ordertrace: the CLI is not built (dist/cli/main.js is missing) and TypeScript is not installed to build it.\n');
    process.stderr.write('ordertrace: run `npm install` (or `npm run build:cli`) in the ordertrace directory first.\n');
    process.exit(2);
  }
  process.stderr.write('ordertrace: building the CLI once (npm run build:cli)…\n');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.cli.json')], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) {
    process.stderr.write('ordertrace: building the CLI failed; see the compiler output above.\n');
    process.exit(2);
  }
}

module.exports = { buildCli };
