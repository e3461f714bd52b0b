/**
 * The body parser of inbound events. It reads the raw bytes under the body limit (Fastify refuses a
 * larger Content-Length before reading, and stops reading once the limit is passed), inflates gzip
 * with the same limit on the output (a gzip bomb is a 413, not an allocation), keeps the exact bytes
 * on `request.rawBody` for signature checks, decodes UTF-8 strictly and parses with the strict,
 * lossless JSON parser. Every refusal is a coded error; nothing here can crash the process.
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
    throw new LedgerlinkError('LL_ERR_UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${encoding.slice(0, 40)} is not accepted; send gzip or none`);
  }
  try {
    return await inflate(bytes, { maxOutputLength: limit });
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new LedgerlinkError('LL_ERR_BODY_TOO_LARGE', `Decompressed body is over the limit of ${limit} bytes`, { cause });
    }
    throw new LedgerlinkError('LL_ERR_BAD_REQUEST', 'Body is not valid gzip', { cause });
  }
}

function assertUtf8Charset(request: FastifyRequest): void {
  const type = request.headers['content-type'];
  if (type === undefined || !type.includes('charset')) return;
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(type)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new LedgerlinkError('LL_ERR_UNSUPPORTED_MEDIA_TYPE', `Charset ${charset.slice(0, 40)} is not accepted; send UTF-8`);
  }
}

/** Replaces the scope's parsers with the strict one; other content types are answered 415. */
export function useStrictJsonBodies(scope: ApiServer, bodyLimit: number): void {
  scope.decorateRequest('rawBody', undefined);
  scope.removeAllContentTypeParsers();
  const parse = async (request: FastifyRequest, payload: Buffer): Promise<StrictJsonBody> => {
    assertUtf8Charset(request);
    const bytes = await undoContentEncoding(request, payload, bodyLimit);
    request.rawBody = bytes;
    const text = decodeUtf8Strict(bytes);
    return { text, value: parseStrictJson(text) };
  };
  scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, parse);
  scope.addContentTypeParser(JSON_SUFFIX_MEDIA_TYPES, { parseAs: 'buffer', bodyLimit }, parse);
}
