'use strict';
// Lets `require` load the project's TypeScript sources, compiled with @swc/core (already a dev
// dependency for jest) using the same settings as jest.config.js. Compiled files are cached in the
// user's cache directory, keyed by path, size and mtime, so that only the first run pays for loading
// the compiler (about 100 ms); later runs read the cache and never load @swc/core.
// Not under node_modules/: a new entry there makes npm consider its hidden lockfile stale, and every
// later `npx` would then re-read the whole tree (seconds).
// eslint-disable-next-line no-redeclare -- the node:crypto module, not the Web Crypto global
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CACHE_VERSION = '1';
const SWC_OPTIONS = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

let swc = null;

/** $XDG_CACHE_HOME/ordertrace-cli or ~/.cache/ordertrace-cli, if it is (or can be made) ours alone. */
function privateCacheDir() {
  try {
    const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
    const dir = path.join(base, 'ordertrace-cli');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const info = fs.lstatSync(dir);
    // Compiled code is executed: never trust a directory someone else could write to.
    if (!info.isDirectory() || (typeof process.getuid === 'function' && info.uid !== process.getuid()) || (info.mode & 0o022) !== 0) {
      return null;
    }
    return dir;
  } catch {
    return null;
  }
}

function register(root) {
  const nodeModules = path.join(root, 'node_modules') + path.sep;
  const cacheDir = process.env.ORDERTRACE_CLI_NO_CACHE ? null : privateCacheDir();
  let cacheWritable = cacheDir !== null;

  require.extensions['.ts'] = function compileTypeScript(module, filename) {
    if (filename.startsWith(nodeModules)) {
      throw new Error(`refusing to compile TypeScript from node_modules: ${filename}`);
    }
    const stat = fs.statSync(filename);
    const key = crypto.createHash('sha256').update(`${CACHE_VERSION}\0${filename}\0${stat.size}\0${stat.mtimeMs}`).digest('hex');
    const cached = cacheDir && path.join(cacheDir, `${key}.js`);
    let code = null;
    if (cached) {
      try {
        code = fs.readFileSync(cached, 'utf8');
      } catch {
        // not cached yet
      }
    }
    if (code === null) {
      if (!swc) swc = require('@swc/core');
      const source = fs.readFileSync(filename, 'utf8');
      code = swc.transformSync(source, { ...SWC_OPTIONS, filename }).code;
      if (cacheWritable) {
        try {
          // Write then rename, so a concurrent run never reads a half-written file.
          const tmp = `${cached}.${process.pid}.tmp`;
          fs.writeFileSync(tmp, code);
          fs.renameSync(tmp, cached);
        } catch {
          cacheWritable = false; // read-only install: compile every time
        }
      }
    }
    module._compile(code, filename);
  };
}

module.exports = { register };
