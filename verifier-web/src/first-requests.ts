/**
 * The page's first script, small on purpose: it starts the order's and the trust file's requests
 * as soon as the page has a script at all, so that they travel while the main script still loads.
 */
import { startEarly } from './early-requests';
import { publicOrderRequest } from './public-api';
import { parseRoute } from './route';
import { trustFileRequest } from './trust-request';

const route = parseRoute(location.pathname, location.hash, location.origin);
if (route.kind === 'order') {
  startEarly(publicOrderRequest(route.api, route.orderId, route.token));
  const trust = trustFileRequest();
  if (trust !== null) startEarly(trust);
}
