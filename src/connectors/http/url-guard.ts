/**
 * Checks connector URLs before anything is sent: the configured base URL when a client is built,
 * and every redirect target. Refuses other schemes, credentials in the URL, link-local and cloud
 * metadata addresses (however the address is written) and plain http beyond loopback.
 *
 * The check is on the URL as written; a DNS name that resolves to a refused address is not caught
 * here (that needs a connect-time check in the agent).
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import { redactUrl } from './redact.js';

export interface UrlGuardOptions {
  /** Allows plain http to hosts other than loopback (a simulator on another machine). */
  readonly allowInsecureHttp?: boolean;
  /** System name for the error message. */
  readonly system?: string;
}

const METADATA_HOSTS: ReadonlySet<string> = new Set(['metadata.google.internal', 'metadata', 'metadata.goog']);
const METADATA_IPV4: ReadonlySet<string> = new Set(['100.100.100.200', '192.0.0.192']);

/** Parses the URL and refuses what a connector must not talk to; answers the parsed URL. */
export function guardConnectorUrl(raw: string | URL, options: UrlGuardOptions = {}): URL {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch (cause) {
    throw urlRefused(options.system, String(raw), 'not a valid absolute URL', cause);
  }
  const reason = refusalReason(url, options);
  if (reason !== undefined) throw urlRefused(options.system, url, reason);
  return url;
}

/** Why the URL is refused, or undefined when it is acceptable. */
export function refusalReason(url: URL, options: UrlGuardOptions = {}): string | undefined {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `scheme ${url.protocol} is not http or https`;
  if (url.username !== '' || url.password !== '')
    return 'credentials in the URL are not accepted; configure them as secrets';
  const addressReason = refusedAddressReason(url.hostname);
  if (addressReason !== undefined) return addressReason;
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && options.allowInsecureHttp !== true) {
    return 'plain http is allowed only to loopback (simulators) unless allowInsecureHttp is set';
  }
  return undefined;
}

/**
 * A redirect is followed only to https (passing the address checks), or to plain http on the same
 * loopback origin it came from (a local simulator). Throws LL_ERR_CONNECTOR_URL_REFUSED otherwise.
 */
export function guardRedirect(from: URL, to: URL, system?: string): void {
  if (to.protocol === 'https:') {
    const reason = refusalReason(to);
    if (reason !== undefined) throw urlRefused(system, to, `redirect refused: ${reason}`);
    return;
  }
  if (to.protocol === 'http:' && to.origin === from.origin && isLoopbackHost(to.hostname)) return;
  throw urlRefused(
    system,
    to,
    `redirect from ${from.origin} to ${to.protocol === 'http:' ? 'plain http' : to.protocol} refused`,
  );
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped), `localhost` and `*.localhost`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = normalizeHost(hostname);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const v4 = ipv4Of(host);
  if (v4 !== undefined) return v4[0] === 127;
  const v6 = parseIpv6(host);
  if (v6 === undefined) return false;
  if (v6.slice(0, 7).every((g) => g === 0) && v6[7] === 1) return true;
  const mapped = mappedIpv4(v6);
  return mapped !== undefined && mapped[0] === 127;
}

/** Why the host is refused (link-local, metadata, unspecified), or undefined. */
export function refusedAddressReason(hostname: string): string | undefined {
  const host = normalizeHost(hostname);
  if (METADATA_HOSTS.has(host)) return `${host} is a cloud metadata host`;
  const v4 = ipv4Of(host);
  if (v4 !== undefined) return ipv4Reason(v4);
  const v6 = parseIpv6(host);
  if (v6 === undefined) return undefined;
  if (v6.every((g) => g === 0)) return 'the unspecified address is not a target';
  if (((v6[0] ?? 0) & 0xffc0) === 0xfe80) return `${host} is link-local (fe80::/10)`;
  if (v6[0] === 0xfd00 && v6[1] === 0x0ec2 && v6.slice(2, 7).every((g) => g === 0) && v6[7] === 0x254) {
    return `${host} is the AWS metadata address`;
  }
  const mapped = mappedIpv4(v6);
  return mapped === undefined ? undefined : ipv4Reason(mapped);
}

function ipv4Reason(octets: readonly number[]): string | undefined {
  const dotted = octets.join('.');
  if (octets[0] === 169 && octets[1] === 254) return `${dotted} is link-local or cloud metadata (169.254.0.0/16)`;
  if (METADATA_IPV4.has(dotted)) return `${dotted} is a cloud metadata address`;
  if (octets.every((o) => o === 0)) return 'the unspecified address is not a target';
  return undefined;
}

function normalizeHost(hostname: string): string {
  let host = hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  while (host.endsWith('.')) host = host.slice(0, -1);
  return host;
}

/**
 * Dotted IPv4 after WHATWG URL parsing, which already turns decimal (2852039166), hex (0xA9FEA9FE),
 * octal (0251.0376.0251.0376) and short forms into dotted decimal. Parsed here again with the same
 * rules so that a bare hostname given to the helpers directly gets the same treatment.
 */
function ipv4Of(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length < 1 || parts.length > 4 || parts.some((p) => p === '')) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(part)) n = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) n = parseInt(part.slice(1), 8);
    else if (/^\d+$/.test(part)) n = Number(part);
    else return undefined;
    numbers.push(n);
  }
  const last = numbers.pop() ?? 0;
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return undefined;
  const tail: number[] = [];
  let rest = last;
  for (let i = 0; i < 4 - numbers.length; i++) {
    tail.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  }
  return [...numbers, ...tail];
}

/** Eight 16-bit groups, or undefined when the text is not an IPv6 address. */
function parseIpv6(host: string): number[] | undefined {
  if (!host.includes(':')) return undefined;
  let text = host.split('%')[0] ?? '';
  const groupsFromV4: number[] = [];
  const v4Match = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Match !== null) {
    const v4 = ipv4Of(v4Match[2] ?? '');
    if (v4 === undefined || v4.length !== 4) return undefined;
    groupsFromV4.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    text = `${v4Match[1] ?? ''}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
    return groups.map((g) => parseInt(g, 16));
  };
  const head = parse(halves[0] ?? '');
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  if (groupsFromV4.length === 2) groups.splice(6, 2, ...groupsFromV4);
  return groups;
}

/** The IPv4 address inside ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible) or 64:ff9b::/96 (NAT64). */
function mappedIpv4(groups: readonly number[]): number[] | undefined {
  const prefix = groups.slice(0, 6);
  const zeros5 = prefix.slice(0, 5).every((g) => g === 0);
  const isMapped = zeros5 && (prefix[5] === 0xffff || prefix[5] === 0);
  const isNat64 = prefix[0] === 0x64 && prefix[1] === 0xff9b && prefix.slice(2).every((g) => g === 0);
  if (!isMapped && !isNat64) return undefined;
  const hi = groups[6] ?? 0;
  const lo = groups[7] ?? 0;
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
}

/** LL_ERR_CONNECTOR_URL_REFUSED for `url` (shown redacted) with the reason. */
export function urlRefused(
  system: string | undefined,
  url: string | URL,
  reason: string,
  cause?: unknown,
): LedgerlinkError {
  const shown = redactUrl(url);
  return new LedgerlinkError(
    'LL_ERR_CONNECTOR_URL_REFUSED',
    `${system ?? 'connector'} URL ${shown} refused: ${reason}`,
    {
      details: [{ message: reason, url: shown, ...(system === undefined ? {} : { system }) }],
      ...(cause === undefined ? {} : { cause }),
    },
  );
}
