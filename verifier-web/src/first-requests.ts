/**
 * The page's first script, small on purpose and inlined into index.html: it starts the order's and
 * the trust file's requests as soon as the page is parsed this far, and once both have answered,
 * the chain reads the order's check will start with, on the trust file's endpoints. All of it
 * travels while the main script still loads; the main script takes the answers.
 */
import { claimedChainCalls, RPC_BATCH_LIMIT, DEFAULT_RPC_TIMEOUT_MS } from '../../proof/rpc-chain-reader';
import { parseTrustAnchors, trustedEndpoints } from '../../proof/trust';
import { startEarly, startEarlyChainReads } from './early-requests';
import { publicOrderRequest } from './public-api';
import { parseRoute } from './route';
import { builtInTrust, trustFileRequest } from './trust-request';

/** A body read from a clone, so that the main script still reads the answer itself. */
function jsonOf(response: Promise<Response>): Promise<unknown> {
  return response.then((r) => (r.ok ? r.clone().json() : null));
}

const route = parseRoute(location.pathname, location.hash, location.origin);
if (route.kind === 'order') {
  const order = jsonOf(startEarly(publicOrderRequest(route.api, route.orderId, route.token)));
  const request = trustFileRequest();
  const trust = request === null ? Promise.resolve(builtInTrust()) : jsonOf(startEarly(request));
  // Only a head start: whatever fails here, the main script asks again and reports it.
  void Promise.all([order, trust])
    .then(([answer, anchors]) => {
      const bundle = (answer as { bundle?: unknown } | null)?.bundle;
      if (anchors === null || bundle === undefined) return;
      const calls = claimedChainCalls(bundle, 2 * RPC_BATCH_LIMIT);
      for (const url of trustedEndpoints(parseTrustAnchors(anchors), bundle))
        startEarlyChainReads(url, calls, RPC_BATCH_LIMIT, DEFAULT_RPC_TIMEOUT_MS);
    })
    .catch(() => undefined);
}
