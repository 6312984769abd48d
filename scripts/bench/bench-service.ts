/**
 * The built service (`dist/`, what `npm start` runs) in a process of its own for the benchmarks,
 * and the calls that set it up. Loopback only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '../../test/support/chain';

const ROOT = resolve(__dirname, '..', '..');

export interface RunningService {
  baseUrl: string;
  /** When the process was started (Date.now()), where its CPU profile's clock begins. */
  startedAt: number;
  stop(): Promise<void>;
}

export async function startService(env: Record<string, string>, logFile: string, nodeArgs: string[] = []): Promise<RunningService> {
  const port = await freePort();
  const out = openSync(logFile, 'a');
  const startedAt = Date.now();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', 'server', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', out, out],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}; see ${logFile}`);
    const ready = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`the service did not start; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    startedAt,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
}

export async function call<T>(baseUrl: string, method: string, path: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}
