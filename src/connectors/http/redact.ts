/**
 * Removes secrets from whatever the HTTP layer logs or puts into error details: credential headers,
 * secret fields in JSON and form bodies (also in truncated excerpts), bearer/basic credentials in
 * free text, and URL userinfo and secret query parameters.
 */

export const REDACTED = '[REDACTED]';

/** Header names whose values are never shown. */
const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-csrf-token',
  'x-api-key',
]);

/** Field names (JSON keys, form and query parameters) whose values are never shown. */
const SECRET_FIELD =
  '(?:client[-_]?secret|password|passwd|refresh[-_]?token|access[-_]?token|id[-_]?token|api[-_]?key|client[-_]?assertion)';
const SECRET_FIELD_EXACT = new RegExp(`^${SECRET_FIELD}$`, 'i');

/** `"password": "…"` (the closing quote may be cut off in an excerpt) and `"password": 1234`. */
const JSON_STRING_FIELD = new RegExp(`("${SECRET_FIELD}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"?`, 'gi');
const JSON_OTHER_FIELD = new RegExp(`("${SECRET_FIELD}"\\s*:\\s*)(?!["\\s{\\[])[^,}\\]\\s]+`, 'gi');
/** `password=…` in form bodies and query strings. */
const FORM_FIELD = new RegExp(`(^|[&?;\\s])(${SECRET_FIELD})=([^&\\s;]*)`, 'gi');
/** `Bearer eyJ…`, `Basic dXNlcjpw…` written into text. */
const CREDENTIAL_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/g;
/** `https://user:secret@host` written into text. */
const URL_USERINFO = /\b(https?:\/\/)[^\s/?#@]+@/gi;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

export function isSecretField(name: string): boolean {
  return SECRET_FIELD_EXACT.test(name);
}

/** A copy of the headers with the values of credential headers replaced; names lower-cased. */
export function redactHeaders(
  headers: Headers | Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries: Iterable<[string, string | readonly string[] | undefined]> =
    headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const text = typeof value === 'string' ? value : value.join(', ');
    out[key] = isSecretHeader(key) ? REDACTED : redactText(text);
  }
  return out;
}

/** The URL with user and password removed and secret query parameters replaced. */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return redactText(String(url));
  }
  const hadUserinfo = parsed.username !== '' || parsed.password !== '';
  parsed.username = '';
  parsed.password = '';
  for (const key of [...new Set(parsed.searchParams.keys())]) {
    if (isSecretField(key)) parsed.searchParams.set(key, REDACTED);
  }
  const text = parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
  return hadUserinfo ? text.replace(`${parsed.protocol}//`, `${parsed.protocol}//${REDACTED}@`) : text;
}

/**
 * Free text (a response body, a request body, an excerpt) with secrets replaced: JSON fields,
 * form fields and credential schemes. Works on truncated text, so it never needs to parse.
 */
export function redactText(text: string): string {
  return text
    .replace(JSON_STRING_FIELD, `$1"${REDACTED}"`)
    .replace(JSON_OTHER_FIELD, `$1"${REDACTED}"`)
    .replace(FORM_FIELD, `$1$2=${REDACTED}`)
    .replace(CREDENTIAL_SCHEME, `$1 ${REDACTED}`)
    .replace(URL_USERINFO, `$1${REDACTED}@`);
}

/**
 * A deep copy of a value about to be logged: secret keys (fields and credential headers) replaced,
 * strings passed through redactText, URLs through redactUrl. Cycles are cut.
 */
export function redactValue(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value instanceof URL) return redactUrl(value);
  if (value instanceof Headers) return redactHeaders(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretField(key) || isSecretHeader(key) ? REDACTED : redactValue(item, seen);
  }
  return out;
}
