/**
 * The echo sink connector: posts a document as JSON `{ reference, correlationId, payload }` to a
 * configured URL, and finds one by `GET <url>?reference=…`. Used by the built-in echo flow for smoke
 * runs and the crash tests; the sink answers `{ id }`. Calls go through the shared HTTP client, so
 * they carry the document's trace as `traceparent` and fail with the coded errors of their class.
 */
import { stringifyJson, type JsonValue } from '../../canonical/strict-json.js';
import { HttpClient } from '../http/http-client.js';
import { errorForStatus } from '../http/remote-errors.js';
import { traceForCorrelation } from '../http/traceparent.js';
import type { HttpResponse } from '../http/http-types.js';
import type { EchoSinkPort } from '../port.js';

export interface EchoSinkOptions {
  readonly url: string;
  readonly timeoutMs?: number;
}

const SYSTEM = 'echo';

export class EchoSinkConnector implements EchoSinkPort {
  private readonly client: HttpClient;

  constructor(options: EchoSinkOptions) {
    this.client = new HttpClient({ system: SYSTEM, baseUrl: options.url, timeoutMs: options.timeoutMs ?? 10_000 });
  }

  async findByReference(reference: string): Promise<string | null> {
    const response = await this.client.request({ method: 'GET', path: '', query: { reference }, accept: [404] });
    return response.status === 404 ? null : idFrom(response);
  }

  async post(reference: string, payload: JsonValue, correlationId: string): Promise<string> {
    const response = await this.client.request({
      method: 'POST',
      path: '',
      headers: { 'content-type': 'application/json', 'idempotency-key': reference },
      text: `{"reference":${JSON.stringify(reference)},"correlationId":${JSON.stringify(correlationId)},"payload":${stringifyJson(payload)}}`,
      trace: traceForCorrelation(correlationId),
    });
    return idFrom(response);
  }
}

function idFrom(response: HttpResponse): string {
  const body = response.json();
  const id = body !== null && typeof body === 'object' && !Array.isArray(body) && 'id' in body ? body['id'] : undefined;
  if (typeof id !== 'string' || id === '')
    throw errorForStatus(SYSTEM, 502, null, `answer without an id: ${response.text.slice(0, 200)}`);
  return id;
}
