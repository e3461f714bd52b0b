/**
 * HTTP Basic authentication (RFC 7617): the header value, and a request layer that sets it (SAP
 * communication users, OAuth2 client authentication).
 */
import type { OutgoingRequest, RequestAuth } from './http-types.js';

/** `Basic base64(user:password)` with UTF-8; a user id containing `:` cannot be sent (RFC 7617). */
export function basicAuthorization(user: string, password: string): string {
  if (user.includes(':')) throw new RangeError('a Basic auth user id must not contain ":"');
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** A layer that sends the credentials on every request. */
export function basicAuth(user: string, password: string): RequestAuth {
  const value = basicAuthorization(user, password);
  return {
    authorize(request: OutgoingRequest): void {
      request.headers.set('authorization', value);
    },
  };
}
