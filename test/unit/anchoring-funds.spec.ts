import { parseEther } from 'ethers';
import { AnchoringFundsService } from '../../server/anchoring/anchoring-funds.service';
import type { AppConfig } from '../../server/config/app-config';
import { ConfigError, parseEnvironment } from '../../server/config/parse-app-config';

const ADDRESS = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const HOUR = 3_600_000;

function funds(lowBalance = '1'): AnchoringFundsService {
  return new AnchoringFundsService({ anchoring: { lowBalanceWei: parseEther(lowBalance) } } as AppConfig);
}

describe('AnchoringFundsService', () => {
  it('states the days left from the fees paid over the last day', () => {
    const f = funds();
    const start = Date.now() - 12 * HOUR;
    // 0.01 per anchor, one anchor an hour over 12 hours: 0.24 a day.
    for (let h = 0; h < 12; h++) f.recordFee(parseEther('0.01'), start + h * HOUR);
    f.observe(parseEther('2.4'), ADDRESS);
    const days = f.daysLeft(start + 12 * HOUR);
    expect(days).toBeCloseTo(10, 5);
    expect(f.snapshot()).toMatchObject({ balance: '2.4', balanceWei: parseEther('2.4').toString(), low: false, outOfFunds: null });
  });

  it('forgets fees older than a day, and says nothing without enough history', () => {
    const f = funds();
    f.observe(parseEther('5'), ADDRESS);
    expect(f.daysLeft()).toBeNull();
    const now = Date.now();
    f.recordFee(parseEther('100'), now - 30 * HOUR);
    f.recordFee(parseEther('0.5'), now - 10 * HOUR);
    // The 30-hour-old fee no longer counts: 0.5 over 10 hours is 1.2 a day.
    expect(f.daysLeft(now)).toBeCloseTo(5 / 1.2, 5);
    f.recordFee(parseEther('0.5'), now);
    expect(f.daysLeft(now)).toBeCloseTo(5 / 2.4, 5);
  });

  it('refuses a transaction the balance cannot pay, then lets it through once funded', () => {
    const f = funds('0.5');
    expect(f.observe(0n, ADDRESS, parseEther('0.001'))).toBe(false);
    expect(f.outOfFunds).toBe(true);
    expect(f.observe(0n, ADDRESS, parseEther('0.001'))).toBe(false);
    expect(f.snapshot().outOfFunds).toMatchObject({ neededWei: parseEther('0.001').toString() });
    expect(f.observe(parseEther('0.1'), ADDRESS, parseEther('0.001'))).toBe(true);
    expect(f.outOfFunds).toBe(false);
    expect(f.snapshot()).toMatchObject({ low: true, outOfFunds: null });
  });

  it('says when a new snapshot is worth storing for the other instances', () => {
    const f = funds();
    expect(f.takeChanged()).toBe(false);
    f.observe(parseEther('3'), ADDRESS);
    expect(f.takeChanged()).toBe(true);
    f.observe(parseEther('3'), ADDRESS);
    expect(f.takeChanged()).toBe(false);
    f.observe(parseEther('3'), ADDRESS, parseEther('5'));
    expect(f.takeChanged()).toBe(true);
    expect(f.snapshot().observedAt).toEqual(expect.any(String));
  });
});

describe('anchoring health settings', () => {
  it('reads ANCHOR_LOW_BALANCE in the chain coin and ANCHORING_STALLED_AFTER_MS', () => {
    const env = parseEnvironment(
      { ANCHOR_LOW_BALANCE: '0.25', ANCHORING_STALLED_AFTER_MS: '60000', DATABASE_APPLICATION_NAME: 'api-eu-1' },
      '/',
    );
    expect(env.anchoring).toMatchObject({ lowBalanceWei: parseEther('0.25'), stalledAfterMs: 60_000 });
    const pg = parseEnvironment(
      { DATABASE_URL: 'postgres://db/x', ORDERTRACE_DATA_KEY: '11'.repeat(32), DATABASE_APPLICATION_NAME: 'api-eu-1' },
      '/',
    );
    expect(pg.database).toMatchObject({ driver: 'postgres', applicationName: 'api-eu-1' });
  });

  it('refuses amounts and names it cannot use', () => {
    expect(() => parseEnvironment({ ANCHOR_LOW_BALANCE: '-1' }, '/')).toThrow(ConfigError);
    expect(() => parseEnvironment({ ANCHOR_LOW_BALANCE: '1e18' }, '/')).toThrow(/ANCHOR_LOW_BALANCE/);
    expect(() => parseEnvironment({ DATABASE_APPLICATION_NAME: 'x'.repeat(64) }, '/')).toThrow(/DATABASE_APPLICATION_NAME/);
  });
});
