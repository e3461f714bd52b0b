/**
 * The console's one way to call the hub: same-origin fetch with the session cookie, the CSRF token
 * (read from the `ll_csrf` cookie) on every state-changing call, and the API's one error shape
 * `{ error: { code, message, details } }` turned into an ApiError.
 */
export interface ErrorDetail {
  readonly path?: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: readonly ErrorDetail[];

  constructor(status: number, code: string, message: string, details: readonly ErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Called when any call answers 401: the session is over and the page shows the login again. */
let onUnauthenticated: (() => void) | undefined;
export function whenUnauthenticated(handler: (() => void) | undefined): void {
  onUnauthenticated = handler;
}

export function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'll_csrf') return rest.join('=') || undefined;
  }
  return undefined;
}

export interface CallOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly body?: unknown;
  /** JSON text sent as is (an edited payload keeps its numbers exactly as typed). */
  readonly rawBody?: string;
  readonly etag?: string;
  readonly signal?: AbortSignal;
}

export interface Answer<T> {
  readonly status: number;
  readonly data: T | undefined;
  readonly etag: string | undefined;
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; details?: ErrorDetail[] } };
    const e = body.error ?? {};
    return new ApiError(response.status, e.code ?? 'LL_ERR_INTERNAL', e.message ?? response.statusText, e.details);
  } catch {
    return new ApiError(response.status, 'LL_ERR_INTERNAL', `HTTP ${response.status}`);
  }
}

/** A call answering the raw status (304 included) and ETag. */
export async function call<T>(path: string, options: CallOptions = {}): Promise<Answer<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = csrfToken();
    if (csrf !== undefined) headers['x-csrf-token'] = csrf;
  }
  if (options.etag !== undefined) headers['if-none-match'] = options.etag;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    ...(body === undefined ? {} : { body }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (response.status === 304) return { status: 304, data: undefined, etag: options.etag };
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && !path.startsWith('/v1/session')) onUnauthenticated?.();
    throw error;
  }
  const text = await response.text();
  return {
    status: response.status,
    data: text === '' ? undefined : (JSON.parse(text) as T),
    etag: response.headers.get('etag') ?? undefined,
  };
}

/** GET, POST, PUT or DELETE answering the body. */
export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  return (await call<T>(path, options)).data as T;
}

/** A query string of the defined, non-empty values. */
export function query(values: Readonly<Record<string, string | number | undefined>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
