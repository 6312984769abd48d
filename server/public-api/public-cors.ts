import type { FastifyInstance } from 'fastify';

/** The routes a verifier page on any origin may call: the consumer link's API and the chain proxy. */
const PUBLIC_PREFIX = '/public/';

/**
 * CORS for /public only, and without credentials: a verifier page built by a brand and served from
 * its own site (or an IPFS gateway) fetches bundles, trust and batches from here. Nothing under
 * /public takes cookies or keys (the order token is a header the page sets), so `*` opens nothing
 * more than a plain HTTP client already has. Every other route stays same-origin.
 */
export function registerPublicCors(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(PUBLIC_PREFIX)) return;
    void reply.header('Access-Control-Allow-Origin', '*');
    void reply.header('Vary', 'Origin');
    if (request.method === 'OPTIONS') {
      void reply
        .header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
        .header('Access-Control-Allow-Headers', 'Content-Type, X-Order-Token')
        .header('Access-Control-Max-Age', '600')
        .code(204)
        .send();
      return reply;
    }
    void reply.header('Access-Control-Expose-Headers', 'Retry-After');
  });
}
