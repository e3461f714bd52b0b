/**
 * SAP's CSRF protection for OData writes: fetch a token with `X-CSRF-Token: Fetch` on a GET or HEAD,
 * keep the session cookies that come with it, and send token and cookies on every write
 * (POST/PUT/PATCH/MERGE/DELETE). A 403 with `X-CSRF-Token: Required` means the token or its session
 * is gone: fetch anew and retry once; if it happens again it is transient, not an auth failure.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { AuthContext, HttpMethod, HttpResponse, OutgoingRequest, RequestAuth } from './http-types.js';

export interface CsrfSessionOptions {
  readonly system: string;
  /** Where to fetch the token, relative to the base URL. Default: the service root. */
  readonly fetchPath?: string;
  /** Default GET (HEAD is cheaper but not every service answers it). */
  readonly fetchMethod?: 'GET' | 'HEAD';
}

const READ_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isWriteMethod(method: HttpMethod): boolean {
  return !READ_METHODS.has(method);
}

function csrfRequired(response: HttpResponse): boolean {
  return response.status === 403 && response.headers.get('x-csrf-token')?.trim().toLowerCase() === 'required';
}

export class CsrfSession implements RequestAuth {
  private readonly options: CsrfSessionOptions;
  private current: string | undefined;
  private pending: Promise<string> | undefined;
  private readonly cookies = new Map<string, string>();
  private fetches = 0;

  constructor(options: CsrfSessionOptions) {
    this.options = options;
  }

  /** The token held now, if any. */
  get token(): string | undefined {
    return this.current;
  }

  /** How many token fetches were sent (for metrics and tests). */
  get fetchCount(): number {
    return this.fetches;
  }

  /** The `Cookie` header for the session, or undefined when there is none. */
  cookieHeader(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Drops the token and its session (only if it is still `token`, when given). */
  invalidate(token?: string): void {
    if (token !== undefined && token !== this.current) return;
    this.current = undefined;
    this.cookies.clear();
  }

  async authorize(request: OutgoingRequest, context: AuthContext): Promise<void> {
    if (isWriteMethod(request.method)) {
      const token = await this.ensureToken(context);
      request.headers.set('x-csrf-token', token);
    }
    const cookie = this.cookieHeader();
    if (cookie !== undefined) request.headers.set('cookie', cookie);
  }

  onResponse(request: OutgoingRequest, response: HttpResponse): 'retry' | undefined {
    this.keepCookies(response);
    if (!csrfRequired(response) || !isWriteMethod(request.method)) return undefined;
    this.invalidate(request.headers.get('x-csrf-token') ?? undefined);
    return 'retry';
  }

  /** A 403 `X-CSRF-Token: Required` left after the refetch is transient (session trouble), not auth. */
  classify = (response: HttpResponse): LedgerlinkError | undefined => {
    if (!csrfRequired(response)) return undefined;
    return new LedgerlinkError(
      'LL_ERR_REMOTE_TRANSIENT',
      `${this.options.system} refused the CSRF token again after fetching a new one`,
      {
        details: [{ message: 'X-CSRF-Token: Required', status: 403, system: this.options.system }],
      },
    );
  };

  private ensureToken(context: AuthContext): Promise<string> {
    if (this.current !== undefined) return Promise.resolve(this.current);
    this.pending ??= this.fetchToken(context).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchToken(context: AuthContext): Promise<string> {
    this.fetches += 1;
    this.cookies.clear();
    const response = await context.send({
      method: this.options.fetchMethod ?? 'GET',
      path: this.options.fetchPath ?? '',
      headers: { 'x-csrf-token': 'Fetch' },
    });
    this.keepCookies(response);
    const token = response.headers.get('x-csrf-token')?.trim();
    if (token === undefined || token === '' || token.toLowerCase() === 'required') {
      throw new LedgerlinkError(
        'LL_ERR_REMOTE_AUTH',
        `${this.options.system} gave no CSRF token; the user may lack the authorization`,
        {
          details: [
            { message: 'no X-CSRF-Token in the fetch answer', status: response.status, system: this.options.system },
          ],
        },
      );
    }
    this.current = token;
    return token;
  }

  /** Session cookies by name; `Max-Age=0` or an expiry in the past removes one. */
  private keepCookies(response: HttpResponse): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', value = ''] = attribute.split('=', 2).map((part) => part.trim());
        if (key.toLowerCase() === 'max-age') return Number(value) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(value) < Date.now();
        return false;
      });
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1).trim());
    }
  }
}
