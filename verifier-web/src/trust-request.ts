import type { PageRequest } from './early-requests';

/** Replaced at build time by vite.config.mts: the validated trust file, or null. */
declare const __ORDERTRACE_TRUST__: unknown;

/** The trust file built into this page, or null when the page reads the one beside it. */
export function builtInTrust(): unknown {
  return __ORDERTRACE_TRUST__;
}

/** The request for the trust.json beside the page (relative to the page, not the origin root); null when one is built in. */
export function trustFileRequest(): PageRequest | null {
  if (builtInTrust() !== null) return null;
  return {
    url: new URL('trust.json', document.baseURI).href,
    init: { credentials: 'omit', cache: 'no-cache', headers: { accept: 'application/json' } },
  };
}
