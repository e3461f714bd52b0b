/**
 * The hub's own egress policy: hosts this process never connects to, whatever a configuration or a
 * redirect says (`network.refuseHosts` in ledgerlink.yaml). A system behind such a host is reached
 * through an agent inside its network (`via: agent:<name>`), whose requests this policy does not
 * govern. Checked at send time, for every exchange, redirects included.
 *
 * Entries: a host name (`erp.corp.example`), a wildcard suffix (`*.corp.example`), an IPv4 address
 * or an IPv4 CIDR block (`10.0.0.0/8`). Names are compared as written, not resolved.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import { fetchTransport } from './http-client.js';
import type { HttpTransport } from './http-types.js';
import { urlRefused } from './url-guard.js';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Number(text: string): number | undefined {
  const m = IPV4.exec(text);
  if (m === null) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((n, o) => n * 256 + o, 0);
}

/** Throws LL_ERR_CONFIG_INVALID for an entry that is none of the accepted forms. */
export function checkEgressEntry(entry: string, path = 'network.refuseHosts'): string {
  const [address, bits, ...rest] = entry.split('/');
  const valid =
    rest.length === 0 &&
    (bits === undefined
      ? /^(\*\.)?[a-z0-9.-]+$/i.test(address ?? '') || ipv4Number(address ?? '') !== undefined
      : ipv4Number(address ?? '') !== undefined && /^\d{1,2}$/.test(bits) && Number(bits) <= 32);
  if (!valid) {
    throw new LedgerlinkError(
      'LL_ERR_CONFIG_INVALID',
      `${JSON.stringify(entry)} is not a host, *.suffix or IPv4 CIDR`,
      {
        details: [{ path, message: 'expected a host name, *.suffix, an IPv4 address or an IPv4 CIDR block' }],
      },
    );
  }
  return entry.toLowerCase();
}

/** The entry of `refused` that covers `hostname`, or undefined. */
export function refusedEntryFor(refused: readonly string[], hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const address = ipv4Number(host);
  return refused.find((entry) => {
    const [base = '', bits] = entry.split('/');
    if (bits !== undefined) {
      const network = ipv4Number(base);
      if (address === undefined || network === undefined) return false;
      const size = 2 ** (32 - Number(bits));
      return Math.floor(address / size) === Math.floor(network / size);
    }
    if (base.startsWith('*.')) return host.endsWith(base.slice(1));
    return host === base;
  });
}

/** Global fetch from this process, refusing the hosts of the egress policy before anything is sent. */
export function directTransport(system: string, refused: readonly string[]): HttpTransport {
  if (refused.length === 0) return fetchTransport;
  return (url, request) => {
    const entry = refusedEntryFor(refused, url.hostname);
    if (entry !== undefined) {
      return Promise.reject(
        urlRefused(
          system,
          url,
          `the hub's egress policy refuses ${entry}; reach it through an agent (via: agent:<name>)`,
        ),
      );
    }
    return fetchTransport(url, request);
  };
}
