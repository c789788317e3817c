import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * The address of the client a request comes from, for sign-in throttling. Without trusted
 * proxies it is the connection's peer. Behind `trustedProxies` reverse proxies (the setting
 * `UDX_TRUST_PROXY`), each proxy appends the address it received the request from to
 * `X-Forwarded-For`, so the client is the entry that many places from the end, counting the
 * connection's peer as the last proxy. Entries a client wrote itself come before that and are
 * never believed; without trusted proxies the header is ignored altogether.
 */
export function clientAddressOf(request: IncomingMessage, trustedProxies: number): string {
  const peer = normalised(request.socket.remoteAddress) ?? 'unknown';
  if (trustedProxies <= 0) return peer;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const hops = [...forwarded, peer];
  const client = hops[Math.max(0, hops.length - 1 - trustedProxies)];
  return normalised(client) ?? peer;
}

/** An IP address as one spelling (IPv4 without its IPv6 prefix), or null for anything else. */
function normalised(address: string | undefined): string | null {
  if (!address) return null;
  const plain =
    address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  return isIP(plain) ? plain.toLowerCase() : null;
}
