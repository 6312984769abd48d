/** Webhook signing against the Standard Webhooks reference library, the address rules, retry delays and configuration. */
import { Webhook } from 'standardwebhooks';
import { parseEnvironment } from '../../server/config/parse-app-config';
import { refusedAddressReason, resolveAllowedAddresses } from '../../server/webhooks/webhook-address-policy';
import { retryDelayMs } from '../../server/webhooks/webhook-delivery.service';
import { messageBody } from '../../server/webhooks/webhook-outbox';
import { newWebhookSecret, webhookSignature } from '../../server/webhooks/webhook-signature';

describe('webhook signatures', () => {
  it('are verified by the Standard Webhooks library, with either secret during a rotation', () => {
    const current = newWebhookSecret();
    const previous = newWebhookSecret();
    expect(current).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = messageBody('event.accepted', { events: [{ order: 'ord_1', seq: 1 }] });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = (signature: string) => ({
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    });
    const both = webhookSignature([current, previous], 'msg_1', timestamp, body);
    expect(both.split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers(both))).toMatchObject({ type: 'event.accepted' });
    expect(new Webhook(previous).verify(body, headers(both))).toMatchObject({ type: 'event.accepted' });
    const one = webhookSignature([current], 'msg_1', timestamp, body);
    expect(() => new Webhook(previous).verify(body, headers(one))).toThrow(/signature/i);
    expect(() => new Webhook(current).verify(`${body} `, headers(one))).toThrow(/signature/i);
    expect(new Webhook(current).sign('msg_1', new Date(timestamp * 1000), body)).toBe(one);
  });

  it('sign a body of type, timestamp and data', () => {
    const at = new Date('2026-11-29T12:00:00.000Z');
    expect(JSON.parse(messageBody('anchoring.stalled', { a: 1 }, at))).toEqual({
      type: 'anchoring.stalled',
      timestamp: at.toISOString(),
      data: { a: 1 },
    });
  });
});

describe('webhook addresses', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '0:0:0:0:0:ffff:a00:1',
    '::ffff:0:10.0.0.1',
    '::127.0.0.1',
    '64:ff9b::a00:1',
  ])('refuses %s', (address) => {
    expect(refusedAddressReason(address)).not.toBeNull();
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(refusedAddressReason(address)).toBeNull();
  });

  it('checks IP literals without a lookup, and lets the operator allow private ones', async () => {
    await expect(resolveAllowedAddresses('[::1]', false)).rejects.toThrow(/::1/);
    await expect(resolveAllowedAddresses('127.0.0.1', false)).rejects.toThrow(/127\.0\.0\.1/);
    await expect(resolveAllowedAddresses('127.0.0.1', true)).resolves.toEqual([{ address: '127.0.0.1', family: 4 }]);
    await expect(resolveAllowedAddresses('8.8.8.8', false)).resolves.toEqual([{ address: '8.8.8.8', family: 4 }]);
  });
});

describe('webhook retries', () => {
  it('wait four times longer each time, with jitter, up to six hours', () => {
    expect(retryDelayMs(5000, 1, () => 0.5)).toBe(5000);
    expect(retryDelayMs(5000, 2, () => 0.5)).toBe(20_000);
    expect(retryDelayMs(5000, 3, () => 0)).toBe(64_000);
    expect(retryDelayMs(5000, 3, () => 1)).toBe(96_000);
    expect(retryDelayMs(5000, 30, () => 0.5)).toBe(6 * 3_600_000);
  });
});

describe('webhook configuration', () => {
  it('allows http on the embedded default only, private addresses never, unless told', () => {
    const embedded = parseEnvironment({}, '/tmp');
    expect(embedded.webhooks).toMatchObject({ allowHttp: true, allowPrivate: false, retryWindowMs: 26 * 3_600_000 });
    const postgres = parseEnvironment({ DATABASE_URL: 'postgres://db/x', ORDERTRACE_DATA_KEY: '11'.repeat(32) }, '/tmp');
    expect(postgres.webhooks).toMatchObject({ allowHttp: false, allowPrivate: false });
    const allowed = parseEnvironment({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_ALLOW_HTTP: 'false', WEBHOOK_RETRY_BASE_MS: '100' }, '/tmp');
    expect(allowed.webhooks).toMatchObject({ allowHttp: false, allowPrivate: true, retryBaseMs: 100 });
    expect(() => parseEnvironment({ WEBHOOK_ALLOW_PRIVATE: 'maybe' }, '/tmp')).toThrow(/WEBHOOK_ALLOW_PRIVATE must be true or false/);
  });
});
