import { availableParallelism } from 'node:os';
import type { AppConfig } from '../../server/config/app-config';
import { ConfigError, parseEnvironment } from '../../server/config/parse-app-config';
import { workerShare } from '../../server/http/worker-cluster';

const POSTGRES = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  ORDERTRACE_DATA_KEY: '11'.repeat(32),
  CHAIN_RPC_URL: 'http://127.0.0.1:8545',
};

describe('HTTP_WORKERS', () => {
  it('defaults to one process', () => {
    expect(parseEnvironment(POSTGRES, '/tmp').http.workers).toBe(1);
    expect(parseEnvironment({}, '/tmp').http.workers).toBe(1);
  });

  it('auto: one per core (at most 16) on PostgreSQL with an external chain or anchoring off, else one', () => {
    const auto = { ...POSTGRES, HTTP_WORKERS: 'auto' };
    expect(parseEnvironment(auto, '/tmp').http.workers).toBe(Math.min(availableParallelism(), 16));
    expect(parseEnvironment({ HTTP_WORKERS: 'auto' }, '/tmp').http.workers).toBe(1);
    expect(parseEnvironment({ ...auto, CHAIN_RPC_URL: '' }, '/tmp').http.workers).toBe(1);
    expect(parseEnvironment({ ...auto, CHAIN_RPC_URL: '', ORDERTRACE_ANCHORING: 'off' }, '/tmp').http.workers).toBe(
      Math.min(availableParallelism(), 16),
    );
  });

  it('takes an explicit count, and refuses several workers where one process must hold everything', () => {
    expect(parseEnvironment({ ...POSTGRES, HTTP_WORKERS: '3' }, '/tmp').http.workers).toBe(3);
    expect(parseEnvironment({ HTTP_WORKERS: '1' }, '/tmp').http.workers).toBe(1);
    expect(() => parseEnvironment({ HTTP_WORKERS: '2' }, '/tmp')).toThrow(ConfigError);
    expect(() => parseEnvironment({ ...POSTGRES, HTTP_WORKERS: '0' }, '/tmp')).toThrow(/HTTP_WORKERS must be an integer from 1 to 64/);
    expect(() => parseEnvironment({ ...POSTGRES, HTTP_WORKERS: 'many' }, '/tmp')).toThrow(/HTTP_WORKERS/);
  });
});

describe('workerShare', () => {
  const config = {
    ingest: { queueMax: 20_000, brandQueueMax: 10_000, brandRatePerSecond: 5, brandRateBurst: 3_000, maxGroupCommands: 2_000 },
  } as unknown as AppConfig;

  it('splits the in-memory limits among the workers, keeping their totals and one whole bulk request per burst', () => {
    const share = workerShare(config, 4);
    expect(share.ingest).toMatchObject({
      queueMax: 5_000,
      brandQueueMax: 2_500,
      brandRatePerSecond: 2,
      brandRateBurst: 1_000,
      maxGroupCommands: 2_000,
    });
    expect(workerShare(config, 1)).toBe(config);
    expect(workerShare({ ...config, ingest: { ...config.ingest, brandRatePerSecond: 0 } }, 2).ingest.brandRatePerSecond).toBe(0);
  });
});
