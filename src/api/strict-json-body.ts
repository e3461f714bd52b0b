/**
 * The body parser of inbound events. It reads the raw bytes under the body limit (Fastify refuses a
 * larger Content-Length before reading, and stops reading once the limit is passed), inflates gzip
 * with the same limit on the output (a gzip bomb is a 413, not an allocation) and keeps the exact
 * bytes on `request.rawBody` for signature checks. `parseEventBody` then decodes UTF-8 strictly and
 * parses with the strict, lossless JSON parser. Every refusal is a coded error; nothing here can crash
 * the process.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { LedgerlinkError } from '../canonical/errors.js';
import { decodeUtf8Strict, parseStrictJson, type JsonValue } from '../canonical/strict-json.js';
import type { ApiServer } from './api-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as the sender signed it (after Content-Encoding is undone); set for events. */
    rawBody: Buffer | undefined;
  }
}

export interface StrictJsonBody {
  /** The decoded text, stored as the event's payload. */
  readonly text: string;
  /** The parsed value (numbers kept as their source text). */
  readonly value: JsonValue;
}

/** Structured-syntax suffix `+json` types (e.g. application/cloudevents+json), besides application/json. */
export const JSON_SUFFIX_MEDIA_TYPES = /^application\/[a-z0-9!#$&^_.-]+\+json\s*(?:;|$)/;

const inflate = promisify(gunzip);

async function undoContentEncoding(request: FastifyRequest, bytes: Buffer, limit: number): Promise<Buffer> {
  const header = request.headers['content-encoding'];
  if (header === undefined) return bytes;
  const encoding = header.trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return bytes;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new LedgerlinkError(
      'LL_ERR_UNSUPPORTED_MEDIA_TYPE',
      `Content-Encoding ${encoding.slice(0, 40)} is not accepted; send gzip or none`,
    );
  }
  try {
    return await inflate(bytes, { maxOutputLength: limit });
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new LedgerlinkError('LL_ERR_BODY_TOO_LARGE', `Decompressed body is over the limit of ${limit} bytes`, {
        cause,
      });
    }
    throw new LedgerlinkError('LL_ERR_BAD_REQUEST', 'Body is not valid gzip', { cause });
  }
}

function assertUtf8Charset(request: FastifyRequest): void {
  const type = request.headers['content-type'];
  if (type === undefined || !type.includes('charset')) return;
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(type)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new LedgerlinkError(
      'LL_ERR_UNSUPPORTED_MEDIA_TYPE',
      `Charset ${charset.slice(0, 40)} is not accepted; send UTF-8`,
    );
  }
}

/**
 * Replaces the scope's parsers with one that reads the bytes (under the limit, gzip undone) and keeps
 * them on `request.rawBody`; the body is those bytes. Nothing is parsed yet, so a signature can be
 * checked on exactly what was sent first; `parseEventBody` then decodes and parses. Other content types
 * are answered 415.
 */
export function useRawJsonBodies(scope: ApiServer, bodyLimit: number): void {
  scope.decorateRequest('rawBody', undefined);
  scope.removeAllContentTypeParsers();
  const read = async (request: FastifyRequest, payload: Buffer): Promise<Buffer> => {
    assertUtf8Charset(request);
    const bytes = await undoContentEncoding(request, payload, bodyLimit);
    request.rawBody = bytes;
    return bytes;
  };
  scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, read);
  scope.addContentTypeParser(JSON_SUFFIX_MEDIA_TYPES, { parseAs: 'buffer', bodyLimit }, read);
}

/** Strict UTF-8 and strict JSON over the received bytes; coded LL_ERR_JSON_* errors otherwise. */
export function parseEventBody(bytes: Uint8Array): StrictJsonBody {
  if (bytes.length === 0) throw new LedgerlinkError('LL_ERR_JSON_MALFORMED', 'Body is empty; send the event as JSON');
  const text = decodeUtf8Strict(bytes);
  return { text, value: parseStrictJson(text) };
}

/**
 * Marks a stored payload kept as base64: the bytes of a quarantined delivery that are not valid UTF-8
 * or hold a NUL (which PostgreSQL text cannot store), or whose text would itself begin with the marker.
 * JSON never begins with it, so a payload that does is always base64.
 */
export const BASE64_PAYLOAD_MARKER = 'llraw:base64:';

/** The received bytes as the inbox can hold them: the text itself when safe, else marked base64. */
export function storablePayload(bytes: Uint8Array): string {
  let text: string | undefined;
  try {
    text = decodeUtf8Strict(bytes);
  } catch {
    text = undefined;
  }
  if (text === undefined || text.includes('\u0000') || text.startsWith(BASE64_PAYLOAD_MARKER)) {
    return BASE64_PAYLOAD_MARKER + Buffer.from(bytes).toString('base64');
  }
  return text;
}
