import { ProofError } from '../../proof/errors';
import { matchTrustAnchor, parseTrustAnchors, parseTrustFile, trustedEndpoints, trustMismatchMessage } from '../../proof/trust';

const CONTRACT = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const OLD = '0x' + 'ab'.repeat(20);

function problemsOf(x: unknown): string[] {
  try {
    parseTrustAnchors(x);
  } catch (e) {
    expect(e).toBeInstanceOf(ProofError);
    expect((e as ProofError).code).toBe('INVALID_TRUST');
    return (e as ProofError).problems ?? [];
  }
  throw new Error('expected INVALID_TRUST');
}

describe('ordertrace-trust/1 parsing', () => {
  it('normalises a valid file: lowercase contracts, rpc as an array, previous present', () => {
    const trust = parseTrustFile(
      JSON.stringify({
        format: 'ordertrace-trust/1',
        chainId: 31337,
        contract: CONTRACT,
        rpc: 'https://rpc.example.org',
        publisher: { name: 'Acme', url: 'https://acme.example' },
      }),
    );
    expect(trust).toEqual({
      format: 'ordertrace-trust/1',
      chainId: 31337,
      contract: CONTRACT.toLowerCase(),
      rpc: ['https://rpc.example.org'],
      publisher: { name: 'Acme', url: 'https://acme.example' },
      previous: [],
    });
  });

  it('keeps previous contracts, with their own endpoints when given', () => {
    const trust = parseTrustAnchors({
      format: 'ordertrace-trust/1',
      chainId: 1,
      contract: CONTRACT,
      rpc: ['https://a.example', 'https://b.example', 'https://a.example'],
      previous: [
        { chainId: 1, contract: OLD.toUpperCase().replace('0X', '0x'), until: '2026-01-31' },
        { chainId: 137, contract: OLD, until: '2025-06-01T00:00:00Z', rpc: ['https://polygon.example'] },
      ],
    });
    expect(trust.rpc).toEqual(['https://a.example', 'https://b.example']);
    expect(trust.previous).toEqual([
      { chainId: 1, contract: OLD, until: '2026-01-31' },
      { chainId: 137, contract: OLD, until: '2025-06-01T00:00:00Z', rpc: ['https://polygon.example'] },
    ]);
    expect(matchTrustAnchor(trust, 1, CONTRACT)).toMatchObject({ matched: 'current', rpc: trust.rpc });
    expect(matchTrustAnchor(trust, 1, OLD)).toMatchObject({ matched: 'previous', rpc: trust.rpc });
    expect(matchTrustAnchor(trust, 137, OLD)).toMatchObject({ matched: 'previous', rpc: ['https://polygon.example'] });
    expect(matchTrustAnchor(trust, 137, CONTRACT)).toBeNull();
    expect(trustedEndpoints(trust, { chain: { chainId: 137, contract: OLD } })).toEqual(['https://polygon.example']);
    expect(trustedEndpoints(trust, { chain: { chainId: 5, contract: OLD } })).toEqual(trust.rpc);
    expect(trustedEndpoints(trust, 'not a bundle')).toEqual(trust.rpc);
  });

  it('names the expected and the named contract when a bundle names another one', () => {
    const trust = parseTrustAnchors({ format: 'ordertrace-trust/1', chainId: 1, contract: CONTRACT, rpc: ['https://a.example'] });
    const message = trustMismatchMessage(trust, 1, OLD);
    expect(message).toContain(OLD);
    expect(message).toContain(CONTRACT.toLowerCase());
  });

  it('collects every problem of a bad file', () => {
    expect(
      problemsOf({
        format: 'ordertrace-trust/2',
        chainId: 0,
        contract: '0x1234',
        rpc: ['ftp://x', 'not a url'],
        publisher: { url: 'https://x' },
        previous: [{ chainId: 1, contract: OLD, until: 'yesterday' }, 'x'],
      }),
    ).toEqual([
      'format must be "ordertrace-trust/1"',
      'chainId must be a positive integer',
      'contract must be a 20-byte 0x address',
      'rpc[0] must be an http:// or https:// URL',
      'rpc[1] must be an http:// or https:// URL',
      'publisher must be {"name": "…", "url": "https://…"} with a non-empty name',
      'previous[0].until must be an ISO 8601 date or date-time',
      'previous[1] must be {"chainId", "contract", "until"}',
    ]);
    expect(problemsOf({ format: 'ordertrace-trust/1', chainId: 1, contract: CONTRACT, rpc: [] })).toEqual([
      'rpc must be a JSON-RPC URL or a non-empty array of them',
    ]);
    expect(problemsOf([])).toEqual(['$ must be an object']);
    expect(() => parseTrustFile('{"format":')).toThrow(/must be JSON/);
  });
});
