import { acceptedEncodings } from '../../server/verifier-page/verifier-page.service';

describe('acceptedEncodings', () => {
  it('reads the codings a client accepts, leaving out those it refuses with q=0', () => {
    expect([...acceptedEncodings('gzip, deflate, br, zstd')]).toEqual(['gzip', 'deflate', 'br', 'zstd']);
    expect([...acceptedEncodings('br;q=0, gzip;q=0.5')]).toEqual(['gzip']);
    expect([...acceptedEncodings('BR ; q=1.0')]).toEqual(['br']);
    expect([...acceptedEncodings('gzip;q=0.000')]).toEqual([]);
  });

  it('accepts nothing from a missing or empty header', () => {
    expect(acceptedEncodings(undefined).size).toBe(0);
    expect(acceptedEncodings('').size).toBe(0);
    expect(acceptedEncodings(' , ').size).toBe(0);
  });
});
