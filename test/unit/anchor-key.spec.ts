/** Which key signs anchoring transactions, from the configuration and the key file. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveAnchorKey } from '../../server/config/anchor-key';

const DEV_KEY = `0x${'ab'.repeat(32)}`;
const KEY = `0x${'12'.repeat(32)}`;

describe('resolveAnchorKey', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordertrace-anchor-key-'));
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function keyFile(name: string, content: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  }

  it('takes ANCHOR_PRIVATE_KEY first, even with a key file and on the embedded default', () => {
    const file = keyFile('unused', `${'34'.repeat(32)}\n`);
    expect(resolveAnchorKey({ rpcUrl: null, anchorPrivateKey: KEY, anchorKeyFile: file }, DEV_KEY)).toEqual({
      privateKey: KEY,
      problem: null,
    });
  });

  it('reads ANCHOR_KEY_FILE, with or without 0x, in any case, around whitespace', () => {
    const file = keyFile('upper', `  0x${'CD'.repeat(32)}\n`);
    const bare = keyFile('bare', 'ef'.repeat(32));
    const chain = { rpcUrl: 'http://node:8545', anchorPrivateKey: null };
    expect(resolveAnchorKey({ ...chain, anchorKeyFile: file }, DEV_KEY)).toEqual({ privateKey: `0x${'cd'.repeat(32)}`, problem: null });
    expect(resolveAnchorKey({ ...chain, anchorKeyFile: bare }, DEV_KEY)).toEqual({ privateKey: `0x${'ef'.repeat(32)}`, problem: null });
  });

  it('reports a key file that cannot be read or holds no key, naming the file but not its contents, and never falls back to the dev key', () => {
    const missing = path.join(dir, 'missing');
    const wrong = keyFile('wrong', 'not-a-key-but-a-secret-phrase');
    expect(resolveAnchorKey({ rpcUrl: null, anchorPrivateKey: null, anchorKeyFile: missing }, DEV_KEY)).toEqual({
      privateKey: null,
      problem: expect.stringContaining(`cannot read ANCHOR_KEY_FILE ${missing}`),
    });
    const bad = resolveAnchorKey({ rpcUrl: null, anchorPrivateKey: null, anchorKeyFile: wrong }, DEV_KEY);
    expect(bad).toEqual({ privateKey: null, problem: `ANCHOR_KEY_FILE ${wrong} does not hold a 32-byte hex private key` });
    expect(bad.problem).not.toContain('secret-phrase');
  });

  it('uses the dev key on the embedded default only; an external chain without a key is a problem', () => {
    expect(resolveAnchorKey({ rpcUrl: null, anchorPrivateKey: null, anchorKeyFile: null }, DEV_KEY)).toEqual({
      privateKey: DEV_KEY,
      problem: null,
    });
    expect(resolveAnchorKey({ rpcUrl: 'http://node:8545', anchorPrivateKey: null, anchorKeyFile: null }, DEV_KEY)).toEqual({
      privateKey: null,
      problem: expect.stringContaining('neither ANCHOR_PRIVATE_KEY nor ANCHOR_KEY_FILE'),
    });
  });
});
