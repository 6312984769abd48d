import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook must not reach unless the operator allows private endpoints: the service's own
 * host, its network and the cloud metadata service are all in here (server-side request forgery).
 */
const REFUSED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  REFUSED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64: reaches IPv4 addresses, private ones included
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  REFUSED.addSubnet(net, prefix, 'ipv6');
}

/**
 * The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-translated (`::ffff:0:a.b.c.d`) or
 * IPv4-compatible (`::a.b.c.d`) IPv6 address, in any spelling, or null.
 */
function embeddedIPv4(address: string): string | null {
  let canonical: string;
  try {
    canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
  const m = /^::(?:ffff:(?:0:)?)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (m === null) return null;
  const hi = parseInt(m[1], 16);
  const lo = parseInt(m[2], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Why `address` (an IP literal) is refused for webhooks, or null when it may be reached. */
export function refusedAddressReason(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'is not an IP address';
  if (family === 6) {
    const v4 = embeddedIPv4(address);
    if (v4 !== null) return REFUSED.check(v4, 'ipv4') ? `embeds the loopback, private or reserved IPv4 address ${v4}` : null;
    return REFUSED.check(address, 'ipv6') ? 'is a loopback, private, link-local, unique-local or multicast address' : null;
  }
  return REFUSED.check(address, 'ipv4') ? 'is a loopback, private, link-local or multicast address' : null;
}

/** A host's addresses, each checked: throws WebhookAddressError when one is refused or none resolves. */
export async function resolveAllowedAddresses(hostname: string, allowPrivate: boolean): Promise<{ address: string; family: number }[]> {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  let addresses: { address: string; family: number }[];
  if (isIP(host) !== 0) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new WebhookAddressError(`the host ${host} does not resolve`);
    }
  }
  if (addresses.length === 0) throw new WebhookAddressError(`the host ${host} does not resolve`);
  if (!allowPrivate) {
    for (const a of addresses) {
      const why = refusedAddressReason(a.address);
      if (why !== null) throw new WebhookAddressError(`${host} resolves to ${a.address}, which ${why}`);
    }
  }
  return addresses;
}

/** An endpoint whose address may not be reached (or does not resolve). */
export class WebhookAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookAddressError';
  }
}
