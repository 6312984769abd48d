import { StoredRecordCache } from '../../server/bundles/bundles.repository';

const rows = (count: number, size: number) =>
  Array.from({ length: count }, (_, i) => ({ seq: i + 1, record: String(i + 1).padEnd(size, 'x'), version: `1/(0,${i + 1})` }));

describe('StoredRecordCache', () => {
  it('gives back the records of an order by seq, and the highest seq it holds', () => {
    const cache = new StoredRecordCache(1_000);
    cache.remember('a', rows(3, 10));
    const a = cache.recordsOf('a')!;
    expect(a.upToSeq).toBe(3);
    expect([...a.records.keys()]).toEqual([1, 2, 3]);
    expect(a.records.get(2)).toEqual({ record: '2xxxxxxxxx', version: '1/(0,2)' });
    expect(cache.recordsOf('b')).toBeNull();
  });

  it('replaces an order remembered again, and never counts its records twice', () => {
    const cache = new StoredRecordCache(100);
    for (let n = 1; n <= 5; n++) cache.remember('a', rows(n, 10));
    cache.remember('b', rows(5, 10));
    // 50 + 50 characters fit: a's earlier copies are not counted.
    expect(cache.recordsOf('a')!.upToSeq).toBe(5);
    expect(cache.recordsOf('b')!.upToSeq).toBe(5);
  });

  it('drops the least recently read orders when full, and keeps no order larger than the whole cache', () => {
    const cache = new StoredRecordCache(100);
    cache.remember('a', rows(4, 10));
    cache.remember('b', rows(4, 10));
    cache.recordsOf('a');
    cache.remember('c', rows(4, 10));
    expect(cache.recordsOf('b')).toBeNull();
    expect(cache.recordsOf('a')).not.toBeNull();
    expect(cache.recordsOf('c')).not.toBeNull();
    cache.remember('huge', rows(11, 10));
    expect(cache.recordsOf('huge')).toBeNull();
    expect(cache.recordsOf('a')).not.toBeNull();
  });
});
