/**
 * The page's trust anchors: built into the page (`npm run build:verifier -- --trust trust.json`), or
 * the trust.json beside the page, fetched relative to the page itself (not the origin root: an IPFS
 * gateway serves many sites from one origin). Never from the bundle or the API: whoever controls
 * the API must not be able to choose the contract the page checks against.
 */
import { type TrustAnchors, parseTrustAnchors, parseTrustFile } from '../../proof/trust';
import { fetchRequest } from './early-requests';
import { builtInTrust, trustFileRequest } from './trust-request';

export type PageTrust = { kind: 'pinned'; trust: TrustAnchors; source: string } | { kind: 'none'; detail: string };

let loading: Promise<PageTrust> | null = null;

export function pageTrust(): Promise<PageTrust> {
  loading ??= load();
  return loading;
}

async function load(): Promise<PageTrust> {
  const request = trustFileRequest();
  if (request === null) return { kind: 'pinned', trust: parseTrustAnchors(builtInTrust()), source: 'built into this page' };
  const url = request.url;
  try {
    const response = await fetchRequest(request);
    if (!response.ok) return { kind: 'none', detail: `${url}: HTTP ${response.status}` };
    return { kind: 'pinned', trust: parseTrustFile(await response.text()), source: url };
  } catch (err) {
    // Not cached: a network hiccup must not leave the page unpinned for good.
    loading = null;
    return { kind: 'none', detail: `${url}: ${err instanceof Error ? err.message : String(err)}` };
  }
}
