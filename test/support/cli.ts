/**
 * Runs the `ordertrace` CLI: in this process through `run(argv, io)` (fast; what most tests need),
 * or as the real bin in a child process, as a user would (for what only a process shows: the
 * launcher, start-up time, pipes between two commands).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { run } from '../../cli/main';

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'cli', 'bin', 'ordertrace.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliRunOptions {
  input?: string | Buffer;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** The CLI falls back to these variables; a test states what it means instead of inheriting them. */
function cliEnv(options: CliRunOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: '',
    CHAIN_RPC_URL: '',
    DATABASE_URL: '',
    ORDERTRACE_API_URL: '',
    ORDERTRACE_API_KEY: '',
    ...options.env,
  };
  for (const k of Object.keys(env)) if (env[k] === '') delete env[k];
  return env;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)));
  return () => Buffer.concat(chunks).toString();
}

/** The CLI in this process, with its own stdin, stdout, stderr, working directory and environment. */
export async function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const started = Date.now();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const input = options.input ?? '';
  const code = await run(['node', 'ordertrace', ...args], {
    cwd: options.cwd ?? ROOT,
    env: cliEnv(options),
    stdin: Readable.from([typeof input === 'string' ? Buffer.from(input) : input]),
    stdout,
    stderr,
  });
  return { code, stdout: out(), stderr: err(), ms: Date.now() - started };
}

/** The real bin in a child process. */
export function spawnCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const env = cliEnv(options);
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
    child.stdin.on('error', () => undefined); // the CLI may stop reading early (size cap)
    child.stdin.end(options.input ?? '');
  });
}
