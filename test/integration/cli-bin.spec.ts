/**
 * The real `ordertrace` bin in a child process, for what only a process shows: the launcher runs
 * the built CLI and starts fast, exit codes reach the shell, and stdin is a real pipe. Everything
 * else about the CLI runs in process (test/unit/cli-input.spec.ts, test/e2e/cli-verify.spec.ts).
 */
import { freePort } from '../support/chain';
import { spawnCli } from '../support/cli';

describe('the ordertrace bin', () => {
  it('prints help with every command, exit 0, fast', async () => {
    const run = await spawnCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['verify', 'report', 'audit', 'export', 'qr']) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    // Generous bound for loaded CI machines; typically ~0.1 s above a bare `node -e 0`.
    expect(run.ms).toBeLessThan(5000);
  });

  it('exits 2 with one line for a usage error', async () => {
    const run = await spawnCli(['bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^ordertrace: unknown command 'bogus'/);
    expect(run.stdout).toBe('');
  });

  it('refuses more than the size cap on a stdin pipe without reading it all', async () => {
    const rpc = `http://127.0.0.1:${await freePort()}`;
    const run = await spawnCli(['verify', '-', '--rpc', rpc, '--allow-unpinned'], { input: Buffer.alloc(40 * 1024 * 1024, 0x20) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ordertrace: stdin is larger than 32 MiB/m);
  });
});
