import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, operations, paths } from './schema';
export type { Client } from 'openapi-fetch';

export interface OrdertraceClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where the service answers, e.g. `https://trace.example.com`. */
  baseUrl: string;
  /** A brand API key (`otk_…`) or the operator's token, sent as `Authorization: Bearer`. */
  token?: string;
}

/**
 * A typed client of ordertrace's HTTP API (openapi-fetch over the types generated from the
 * service's OpenAPI document): paths, parameters, bodies and answers are checked by the compiler.
 * Calls return `{ data, error, response }`; errors are the service's problem details.
 *
 * ```ts
 * const api = createOrdertraceClient({ baseUrl, token: process.env.ORDERTRACE_KEY });
 * const { data: order } = await api.POST('/v1/orders', { body: { reference: 'SO-1001' } });
 * ```
 */
export function createOrdertraceClient(options: OrdertraceClientOptions): Client<paths> {
  const { token, headers, ...rest } = options;
  return createClient<paths>({
    ...rest,
    headers: { ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }), ...(headers as Record<string, string> | undefined) },
  });
}
