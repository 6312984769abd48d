/**
 * Rate limits of the unauthenticated /public routes, per client address. Generous enough for a
 * page that re-checks every few seconds while anchoring is pending; tight enough that guessing
 * tokens or flooding receipts gets nowhere (a token has 256 bits anyway).
 */
export const PUBLIC_THROTTLER = 'public';
export const PUBLIC_LIMIT_PER_MINUTE = 120;
export const RECEIPT_LIMIT_PER_MINUTE = 10;
