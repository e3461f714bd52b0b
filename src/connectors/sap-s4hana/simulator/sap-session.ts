/**
 * Access as SAP Gateway grants it to a communication user: HTTP Basic on every call (401 otherwise),
 * and for writes a CSRF token bound to the session cookie. GET/HEAD with `X-CSRF-Token: Fetch`
 * returns the token and sets `SAP_SESSIONID_<SID>_<client>` and `sap-usercontext`; a write without a
 * matching token and cookie gets 403 with `X-CSRF-Token: Required`. Sessions issued before the
 * sim-kit's token cut-off (`expireTokens`) are gone, as after a session timeout.
 */
import { randomBytes } from 'node:crypto';
import type { SimRequest, SimResponse } from '../../sim-kit/sim-server.js';

export const SESSION_COOKIE = 'SAP_SESSIONID_LLS_100';

export interface CommunicationUser {
  readonly user: string;
  readonly password: string;
}

interface Session {
  readonly token: string;
  readonly issuedAt: number;
}

export class SapSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly user: CommunicationUser,
    private readonly tokensIssuedBefore: () => number,
  ) {}

  clear(): void {
    this.sessions.clear();
  }

  /** A 401 answer when the Basic credentials are missing or wrong. */
  checkBasic(request: SimRequest): SimResponse | undefined {
    const header = request.headers.authorization ?? '';
    const expected = `Basic ${Buffer.from(`${this.user.user}:${this.user.password}`).toString('base64')}`;
    if (header === expected) return undefined;
    return {
      status: 401,
      headers: {
        'www-authenticate': 'Basic realm="SAP NetWeaver Application Server [LLS/100]"',
        'content-type': 'text/html',
      },
      body: '<html><head><title>Logon Error Message</title></head><body>Logon failed</body></html>',
    };
  }

  /** Headers that hand out a token (and a session cookie if the client has none valid). */
  fetchToken(request: SimRequest): Record<string, string | readonly string[]> {
    const sid = this.sessionId(request);
    const existing = sid === undefined ? undefined : this.live(sid);
    if (sid !== undefined && existing !== undefined) return { 'x-csrf-token': existing.token };
    const newSid = randomBytes(24).toString('base64url');
    const session: Session = { token: randomBytes(18).toString('base64'), issuedAt: Date.now() };
    this.sessions.set(newSid, session);
    return {
      'x-csrf-token': session.token,
      'set-cookie': [`${SESSION_COOKIE}=${newSid}; path=/; HttpOnly`, 'sap-usercontext=sap-client=100; path=/'],
    };
  }

  /** A 403 answer when a write lacks a valid token for its session. */
  checkCsrf(request: SimRequest): SimResponse | undefined {
    const sid = this.sessionId(request);
    const session = sid === undefined ? undefined : this.live(sid);
    const token = request.headers['x-csrf-token'];
    if (session !== undefined && typeof token === 'string' && token === session.token) return undefined;
    return {
      status: 403,
      headers: { 'x-csrf-token': 'Required', 'content-type': 'text/plain' },
      body: 'CSRF token validation failed',
    };
  }

  private live(sid: string): Session | undefined {
    const session = this.sessions.get(sid);
    if (session === undefined) return undefined;
    if (session.issuedAt < this.tokensIssuedBefore()) {
      this.sessions.delete(sid);
      return undefined;
    }
    return session;
  }

  private sessionId(request: SimRequest): string | undefined {
    const cookie = request.headers.cookie ?? '';
    for (const part of cookie.split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name === SESSION_COOKIE) return rest.join('=');
    }
    return undefined;
  }
}
