/** Runs the real `ordertrace` bin as a child process, as a user would. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

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

export function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // The CLI falls back to these variables; a test states what it means instead of inheriting them.
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
