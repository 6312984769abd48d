/**
 * Rate limits of the unauthenticated /public routes, per client address. Generous enough for a
 * page that re-checks every few seconds while anchoring is pending; tight enough that guessing
 * tokens or flooding receipts gets nowhere (a token has 256 bits anyway).
 */
/**
 * Named `default` because @nestjs/throttler suffixes its headers with any other name
 * (`Retry-After-public`), which no client understands; this one answers with the standard
 * `Retry-After` (and `X-RateLimit-*`). It is the only throttler, on the /public routes only.
 */
export const PUBLIC_THROTTLER = 'default';
export const PUBLIC_LIMIT_PER_MINUTE = 120;
export const RECEIPT_LIMIT_PER_MINUTE = 10;
/** The JSON-RPC proxy at /public/rpc: one page check is several calls. */
export const RPC_LIMIT_PER_MINUTE = 1200;
