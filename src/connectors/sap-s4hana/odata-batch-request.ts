/**
 * OData v2 change sets sent as one `$batch` (OData Version 2.0, "Batch Processing", as SAP Gateway
 * serves it): writes of one service in one HTTP request, each change set one unit of work, so either
 * all its writes are kept or none, whatever becomes of the other change sets. The body is
 * `multipart/mixed` with one part per change set, each holding an `application/http` part per write
 * with a `Content-ID`; the answer is `202` with a `multipart/mixed` body holding one part per change
 * set in order: its answers, one per write in order, or, when a write failed, that write's error
 * answer alone (nothing of that change set is kept).
 */
import { randomUUID } from 'node:crypto';
import { LedgerlinkError } from '../../canonical/errors.js';
import { parseStrictJson, type PlainJson } from '../../canonical/strict-json.js';
import { errorForStatus } from '../http/remote-errors.js';
import type { HttpResponse } from '../http/http-types.js';

export interface ChangeSetWrite {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'MERGE' | 'DELETE';
  /** Relative to the service root: `A_SupplierInvoice`, `CreateUrlAsAttachment`. */
  readonly path: string;
  /** Query options and function import parameters, as OData literals. */
  readonly query?: Readonly<Record<string, string>>;
  readonly json?: PlainJson;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One write's answer inside the batch answer. */
export interface ChangeSetAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

const CRLF = '\r\n';

function target(write: ChangeSetWrite): string {
  const query = Object.entries(write.query ?? {})
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  return query === '' ? write.path : `${write.path}?${query}`;
}

function changeSetPart(writes: readonly ChangeSetWrite[]): string {
  const inner = `changeset_${randomUUID()}`;
  const parts = writes.map((write, index) => {
    const payload = write.json === undefined ? '' : JSON.stringify(write.json);
    const headers = [
      'Accept: application/json',
      ...(write.json === undefined ? [] : ['Content-Type: application/json']),
      ...Object.entries(write.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    ];
    return [
      `--${inner}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      `Content-ID: ${index + 1}`,
      '',
      `${write.method} ${target(write)} HTTP/1.1`,
      ...headers,
      '',
      payload,
    ].join(CRLF);
  });
  return [`Content-Type: multipart/mixed; boundary=${inner}`, '', ...parts, `--${inner}--`].join(CRLF);
}

/** The `$batch` body of the given change sets and the outer boundary it uses. */
export function batchBody(changeSets: readonly (readonly ChangeSetWrite[])[]): { body: string; contentType: string } {
  const outer = `batch_${randomUUID()}`;
  return {
    body: [...changeSets.flatMap((writes) => [`--${outer}`, changeSetPart(writes)]), `--${outer}--`, ''].join(CRLF),
    contentType: `multipart/mixed; boundary=${outer}`,
  };
}

const boundaryOf = (contentType: string | null | undefined): string | undefined =>
  /boundary=("?)([^";]+)\1/i.exec(contentType ?? '')?.[2];

interface Part {
  readonly headers: Headers;
  readonly content: string;
}

function splitHead(text: string): { head: string[]; rest: string } {
  const match = /\r?\n\r?\n/.exec(text);
  if (match === null) return { head: text.split(/\r?\n/), rest: '' };
  return { head: text.slice(0, match.index).split(/\r?\n/), rest: text.slice(match.index + match[0].length) };
}

function headersOf(lines: readonly string[]): Headers {
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}

function parts(text: string, boundary: string): Part[] {
  const out: Part[] = [];
  const pieces = text.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  for (const piece of pieces.slice(1)) {
    if (piece.startsWith('--')) break;
    const { head, rest } = splitHead(piece.replace(/^\r?\n/, ''));
    out.push({ headers: headersOf(head), content: rest });
  }
  return out;
}

function httpAnswer(part: Part): ChangeSetAnswer {
  const { head, rest } = splitHead(part.content);
  const status = /^HTTP\/1\.1 (\d{3})/.exec(head[0] ?? '');
  if (status === null) throw unreadable(`a part without an HTTP status line: ${(head[0] ?? '').slice(0, 60)}`);
  return { status: Number(status[1]), headers: headersOf(head.slice(1)), text: rest.replace(/\r?\n$/, '') };
}

function unreadable(what: string): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', `sap-s4hana answered a $batch that cannot be read: ${what}`, {
    details: [{ message: what, system: 'sap-s4hana' }],
  });
}

/**
 * The answers of each change set a `$batch` answer holds, in order: one per write, or the failing
 * write's error answer alone.
 */
export function readBatchAnswers(response: HttpResponse): ChangeSetAnswer[][] {
  const boundary = boundaryOf(response.headers.get('content-type'));
  if (boundary === undefined) throw unreadable(`content-type ${response.headers.get('content-type') ?? 'none'}`);
  const found = parts(response.text, boundary);
  if (found.length === 0) throw unreadable('no part');
  return found.map((part) => {
    const inner = boundaryOf(part.headers.get('content-type'));
    return inner === undefined ? [httpAnswer(part)] : parts(part.content, inner).map(httpAnswer);
  });
}

/** One write's answer read like the answer of a request of its own. */
export function asHttpResponse(answer: ChangeSetAnswer, url: string): HttpResponse {
  return {
    status: answer.status,
    headers: answer.headers,
    url,
    text: answer.text,
    traceparent: '',
    json: () => {
      try {
        return parseStrictJson(answer.text);
      } catch (cause) {
        throw unreadable(`a part whose body is not JSON (${cause instanceof Error ? cause.message : String(cause)})`);
      }
    },
  };
}

/** A failed write's answer as the coded error the same answer alone would have been. */
export function errorOfAnswer(
  system: string,
  answer: ChangeSetAnswer,
  classify: (response: HttpResponse, body: string) => LedgerlinkError | undefined,
  url: string,
): LedgerlinkError {
  return (
    classify(asHttpResponse(answer, url), answer.text) ??
    errorForStatus(system, answer.status, null, answer.text, { url })
  );
}
