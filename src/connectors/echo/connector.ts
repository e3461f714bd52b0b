/**
 * The echo sink connector: posts a document as JSON `{ reference, correlationId, payload }` to a
 * configured URL, and finds one by `GET <url>?reference=…`. Used by the built-in echo flow for smoke
 * runs and the crash tests; the sink answers `{ id }`.
 */
import { stringifyJson, type JsonValue } from '../../canonical/strict-json.js';
import type { EchoSinkPort } from '../port.js';
import { errorForNetworkFailure, errorForStatus } from '../http/remote-errors.js';

export interface EchoSinkOptions {
  readonly url: string;
  readonly timeoutMs?: number;
}

const SYSTEM = 'echo';

export class EchoSinkConnector implements EchoSinkPort {
  private readonly url: string;
  private readonly timeoutMs: number;

  constructor(options: EchoSinkOptions) {
    this.url = options.url;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async findByReference(reference: string): Promise<string | null> {
    const target = new URL(this.url);
    target.searchParams.set('reference', reference);
    const response = await this.send(target, { method: 'GET' });
    if (response.status === 404) return null;
    return this.idFrom(response);
  }

  async post(reference: string, payload: JsonValue, correlationId: string): Promise<string> {
    const body = `{"reference":${JSON.stringify(reference)},"correlationId":${JSON.stringify(correlationId)},"payload":${stringifyJson(payload)}}`;
    const response = await this.send(new URL(this.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': reference },
      body,
    });
    return this.idFrom(response);
  }

  private async send(url: URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs), redirect: 'error' });
    } catch (cause) {
      throw errorForNetworkFailure(SYSTEM, cause);
    }
  }

  private async idFrom(response: Response): Promise<string> {
    const text = await response.text().catch(() => '');
    if (!response.ok) throw errorForStatus(SYSTEM, response.status, response.headers.get('retry-after'), text);
    const id = (JSON.parse(text) as { id?: unknown }).id;
    if (typeof id !== 'string' || id === '') throw errorForStatus(SYSTEM, 502, null, `answer without an id: ${text}`);
    return id;
  }
}
