/**
 * OData v2 `$batch` as SAP Gateway serves it (OData Version 2.0, "Batch Processing"; SAP Gateway
 * developer guide, "Batch Requests"): `POST <service>/$batch` with `Content-Type: multipart/mixed;
 * boundary=…`. Each part is either a retrieve (`application/http` holding one GET) or a change set
 * (a nested `multipart/mixed` of `application/http` parts holding POST, PUT, PATCH, MERGE or DELETE).
 * A change set is one unit of work: when one of its requests fails, nothing of it is kept and the
 * change set is answered by that request's error alone. The answer is `202 Accepted` with a
 * `multipart/mixed` body holding one part per request part, in order; a change set's answers echo
 * each request's `Content-ID`. The outer request carries authorization and the CSRF token; its parts
 * do not need them. A batch that cannot be read is refused as a whole with 400.
 */
import { randomUUID } from 'node:crypto';
import type { SimRequest, SimResponse } from '../../sim-kit/sim-server.js';
import { odataError } from './odata-envelope.js';

const GW_BATCH = '/IWBEP/CM_MGW_RT/004';
const CHANGE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE']);
const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  428: 'Precondition Required',
  500: 'Internal Server Error',
};

interface MimePart {
  readonly headers: Map<string, string>;
  readonly content: string;
}

/** What the batch route needs of the service: its one-request handler and a way to undo a change set. */
export interface BatchService {
  /** Answers one request of the batch as if it had come alone (authorization already checked). */
  dispatch(request: SimRequest): SimResponse;
  /** Remembers the state before a change set; the answer undoes everything since. */
  checkpoint(): () => void;
}

class BatchSyntaxError extends Error {}

const boundaryOf = (contentType: string | undefined): string | undefined => {
  const match = /^\s*multipart\/mixed\s*;(?:.*;)?\s*boundary=("?)([^";]+)\1/i.exec(contentType ?? '');
  return match?.[2];
};

/** Splits a multipart body at its boundary into parts with their MIME headers (CRLF or LF lines). */
function splitParts(body: string, boundary: string): MimePart[] {
  const lines = body.split(/\r?\n/);
  const parts: string[][] = [];
  let current: string[] | undefined;
  let closed = false;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === `--${boundary}--`) {
      if (current !== undefined) parts.push(current);
      closed = true;
      break;
    }
    if (trimmed === `--${boundary}`) {
      if (current !== undefined) parts.push(current);
      current = [];
      continue;
    }
    current?.push(line);
  }
  if (!closed) throw new BatchSyntaxError(`the multipart body does not end with --${boundary}--`);
  return parts.map((part) => {
    const blank = part.findIndex((line) => line.trim() === '');
    if (blank < 0) throw new BatchSyntaxError('a batch part has no blank line after its headers');
    return { headers: headersOf(part.slice(0, blank)), content: part.slice(blank + 1).join('\r\n') };
  });
}

function headersOf(lines: readonly string[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new BatchSyntaxError(`a header line without a name: ${line.slice(0, 60)}`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** The HTTP request an `application/http` part holds, addressed relative to the service root. */
function innerRequest(part: MimePart, serviceRoot: string, outer: SimRequest): SimRequest {
  if (!/^application\/http\b/i.test(part.headers.get('content-type') ?? ''))
    throw new BatchSyntaxError('a batch request part must be application/http');
  const lines = part.content.split(/\r?\n/);
  const requestLine = /^([A-Z]+) (\S+) HTTP\/1\.1$/.exec((lines[0] ?? '').trim());
  if (requestLine === null) throw new BatchSyntaxError(`not an HTTP request line: ${(lines[0] ?? '').slice(0, 80)}`);
  const blank = lines.findIndex((line, i) => i > 0 && line.trim() === '');
  const headerLines = lines.slice(1, blank < 0 ? lines.length : blank);
  const body = blank < 0 ? '' : lines.slice(blank + 1).join('\r\n');
  const target = requestLine[2] ?? '';
  const url = new URL(target.startsWith('/') ? target : `${serviceRoot}/${target}`, 'http://batch');
  const headers: SimRequest['headers'] = { ...outer.headers };
  delete headers['content-type'];
  delete headers['content-length'];
  for (const [name, value] of headersOf(headerLines)) headers[name] = value;
  return {
    method: requestLine[1] ?? 'GET',
    path: url.pathname,
    params: {},
    query: url.searchParams,
    headers,
    body: body.trim() === '' ? '' : body,
  };
}

function httpPart(response: SimResponse, contentId: string | undefined): string {
  const body =
    response.body === undefined
      ? ''
      : typeof response.body === 'string'
        ? response.body
        : JSON.stringify(response.body);
  const head = [`HTTP/1.1 ${response.status} ${REASONS[response.status] ?? 'Unknown'}`];
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    if (name.toLowerCase() === 'set-cookie') continue;
    head.push(`${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
  }
  if (contentId !== undefined) head.push(`Content-ID: ${contentId}`);
  head.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return ['Content-Type: application/http', 'Content-Transfer-Encoding: binary', '', ...head, '', body].join('\r\n');
}

const multipart = (boundary: string, parts: readonly string[]): string =>
  `${parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('')}--${boundary}--\r\n`;

/** Runs a change set as one unit: all its requests kept, or none and the failing one's answer. */
function changeSet(
  part: MimePart,
  service: BatchService,
  serviceRoot: string,
  outer: SimRequest,
): { text: string; committed: boolean } {
  const boundary = boundaryOf(part.headers.get('content-type'));
  if (boundary === undefined) throw new BatchSyntaxError('a change set needs its own boundary');
  const requests = splitParts(part.content, boundary).map((p) => {
    const request = innerRequest(p, serviceRoot, outer);
    const inHttp = request.headers['content-id'];
    return { request, contentId: p.headers.get('content-id') ?? (typeof inHttp === 'string' ? inHttp : undefined) };
  });
  for (const { request } of requests) {
    if (!CHANGE_METHODS.has(request.method))
      throw new BatchSyntaxError(`${request.method} is not allowed in a change set (retrieve requests go outside)`);
  }
  const undo = service.checkpoint();
  const answers: string[] = [];
  for (const { request, contentId } of requests) {
    const response = service.dispatch(request);
    if (response.status >= 400) {
      undo();
      return { text: httpPart(response, contentId), committed: false };
    }
    answers.push(httpPart(response, contentId));
  }
  const inner = `changeset_${randomUUID()}`;
  const text = `Content-Type: multipart/mixed; boundary=${inner}\r\n\r\n${multipart(inner, answers)}`;
  return { text, committed: requests.length > 0 };
}

/** Answers `POST <serviceRoot>/$batch`; `outer` has passed authorization and the CSRF check. */
export function answerBatch(outer: SimRequest, serviceRoot: string, service: BatchService): SimResponse {
  if (outer.method !== 'POST') return odataError(405, '/IWBEP/CM_MGW_RT/021', 'Only POST is allowed on $batch');
  const boundary = boundaryOf(outer.headers['content-type']);
  if (boundary === undefined)
    return odataError(400, GW_BATCH, 'The $batch request needs Content-Type multipart/mixed with a boundary');
  try {
    const parts = splitParts(outer.body, boundary);
    const answers: string[] = [];
    let committed = false;
    for (const part of parts) {
      if (/^multipart\/mixed\b/i.test(part.headers.get('content-type') ?? '')) {
        const set = changeSet(part, service, serviceRoot, outer);
        committed ||= set.committed;
        answers.push(set.text);
        continue;
      }
      const request = innerRequest(part, serviceRoot, outer);
      if (request.method !== 'GET')
        throw new BatchSyntaxError(`${request.method} outside a change set (only GET may stand alone)`);
      answers.push(httpPart(service.dispatch(request), undefined));
    }
    const answerBoundary = `batch_${randomUUID()}`;
    return {
      status: 202,
      headers: { 'content-type': `multipart/mixed; boundary=${answerBoundary}` },
      body: multipart(answerBoundary, answers),
      committed,
    };
  } catch (error) {
    if (!(error instanceof BatchSyntaxError)) throw error;
    return odataError(400, GW_BATCH, `The $batch request cannot be read: ${error.message}`);
  }
}
