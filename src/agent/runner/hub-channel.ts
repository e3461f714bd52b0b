/**
 * The agent's only connection: HTTPS (or http to a loopback hub in tests) that the agent opens to
 * the hub, with its bearer token and, when configured, a client certificate (mutual TLS) and the CA
 * that signs the hub's certificate. Keep-alive, so the long polls and answers reuse one or two sockets.
 * The agent listens on nothing.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { LedgerlinkError } from '../../canonical/errors.js';
import type { AgentSettings } from './agent-config.js';

export interface HubReply {
  readonly status: number;
  readonly body: unknown;
}

export class HubChannel {
  readonly #settings: AgentSettings;
  readonly #agent: HttpAgent | HttpsAgent;
  readonly #secure: boolean;

  constructor(settings: AgentSettings) {
    this.#settings = settings;
    this.#secure = settings.hub.protocol === 'https:';
    this.#agent = this.#secure
      ? new HttpsAgent({ keepAlive: true, maxSockets: 8, ...settings.tls })
      : new HttpAgent({ keepAlive: true, maxSockets: 8 });
  }

  /** POSTs JSON to the hub under `/v1/agents/<name>/<path>`; resolves with the status and parsed body. */
  post(path: 'poll' | 'answers', payload: unknown, timeoutMs: number, signal?: AbortSignal): Promise<HubReply> {
    const url = new URL(`v1/agents/${this.#settings.name}/${path}`, this.#base());
    const body = JSON.stringify(payload);
    const send = this.#secure ? httpsRequest : httpRequest;
    return new Promise<HubReply>((resolve, reject) => {
      const req = send(
        url,
        {
          method: 'POST',
          agent: this.#agent,
          headers: {
            authorization: `Bearer ${this.#settings.token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
          timeout: timeoutMs,
          ...(signal === undefined ? {} : { signal }),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text === '' ? null : JSON.parse(text);
            } catch {
              // not JSON: kept as text for the error message
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', `the hub did not answer within ${timeoutMs} ms`)),
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  #base(): URL {
    const base = new URL(this.#settings.hub);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    return base;
  }

  close(): void {
    this.#agent.destroy();
  }
}
