import { randomBytesFromPool } from '../../proof/random';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const ORDER_ID_PATTERN = /^ord_[0-9A-HJKMNP-TV-Z]{26}$/;

let lastTime = -1;
let lastRandom: number[] = [];

function randomDigits(): number[] {
  // 80 random bits as 16 base-32 digits (5 bits each).
  const bytes = randomBytesFromPool(16);
  return Array.from(bytes, (b) => b & 31);
}

/** The next 80-bit value, as base-32 digits: ids made within one millisecond keep their order. */
function incremented(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] < 31) {
      next[i]++;
      return next;
    }
    next[i] = 0;
  }
  return randomDigits(); // overflow after 2^80 ids in one millisecond: cannot happen
}

/**
 * `ord_` + a monotonic ULID: 48 bits of milliseconds then 80 random bits, Crockford base-32.
 * Ids sort by creation time (within this process also inside one millisecond), which keeps the
 * (brand_id, created_at, id) index append-mostly and list pages in creation order.
 */
export function newOrderId(now: Date = new Date()): string {
  let time = now.getTime();
  if (time === lastTime) lastRandom = incremented(lastRandom);
  else {
    lastTime = time;
    lastRandom = randomDigits();
  }
  let timePart = '';
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  return `ord_${timePart}${lastRandom.map((d) => CROCKFORD[d]).join('')}`;
}
