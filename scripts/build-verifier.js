#!/usr/bin/env node
/**
 * `npm run build:verifier [-- --trust trust.json] [--out DIR]`: type-checks and builds the verifier
 * page as a static folder that works from any origin. With --trust the page carries those trust
 * anchors itself (validated here by the proof core) and a copy as trust.json; without, it reads the
 * trust.json served beside it. Default output: dist/verifier-web (what the server serves at /v/), and then
 * also the brand console, dist/console-web (served at /console/), which shares the page's code.
 */
const { execFileSync } = require('node:child_process');
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const ROOT = join(__dirname, '..');

function usage(message) {
  process.stderr.write(`build:verifier: ${message}\nusage: npm run build:verifier -- [--trust trust.json] [--out DIR]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { trust: null, out: null };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split(/=(.*)/s);
    const value = inline ?? argv[++i];
    if (name !== '--trust' && name !== '--out') usage(`unknown argument ${argv[i]}`);
    if (value === undefined || value === '') usage(`${name} needs a value`);
    options[name.slice(2)] = resolve(process.cwd(), value);
  }
  return options;
}

function loadTrust(path) {
  require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
  const { parseTrustFile } = require('../proof/trust');
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    usage(`cannot read ${path}: ${err.message}`);
  }
  try {
    return { text, trust: parseTrustFile(text) };
  } catch (err) {
    usage(`${path}: ${err.message}`);
  }
}

const options = parseArgs(process.argv.slice(2));
const trust = options.trust === null ? null : loadTrust(options.trust);
const out = options.out ?? join(ROOT, 'dist', 'verifier-web');
const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
function run(args, env = {}) {
  try {
    execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  } catch (err) {
    // The step printed its own errors.
    process.exit(typeof err.status === 'number' && err.status !== 0 ? err.status : 1);
  }
}

process.stderr.write(`build:verifier: type-checking the page\n`);
run([tsc, '-p', 'verifier-web/tsconfig.json']);
run([tsc, '-p', 'verifier-web/tsconfig.node.json']);
process.stderr.write(
  `build:verifier: building into ${out}${trust ? ` with the trust anchors of ${options.trust} built in` : ' (trust anchors: trust.json beside the page)'}\n`,
);
run([vite, 'build', '--config', 'verifier-web/vite.config.mts'], {
  ORDERTRACE_VERIFIER_OUT: out,
  ORDERTRACE_VERIFIER_TRUST: trust ? JSON.stringify(trust.trust) : '',
});
// The brand console is served by the service only (it calls the API on its own origin): built with the default output.
if (options.out === null) {
  process.stderr.write(`build:verifier: building the brand console into ${join(ROOT, 'dist', 'console-web')}\n`);
  run([vite, 'build', '--config', 'verifier-web/vite.console.config.mts'], {
    ORDERTRACE_VERIFIER_TRUST: trust ? JSON.stringify(trust.trust) : '',
  });
}
if (trust) {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'trust.json'), trust.text);
}
