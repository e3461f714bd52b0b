/**
 * A real HTTP sink that counts every write by reference, for exactly-once checks. It does not dedupe:
 * a second POST with the same reference is recorded as a second write, so a duplicate shows up.
 * Faults can be scripted: answer with a status (and Retry-After), or commit then drop the connection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkWrite {
  readonly reference: string;
  readonly id: string;
  readonly body: string;
  readonly correlationId: string | undefined;
  readonly traceparent: string | undefined;
}

export type SinkFault =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string }
  | { readonly kind: 'commit-then-drop' };

export class CountingSink {
  readonly writes: SinkWrite[] = [];
  private readonly byReference = new Map<string, SinkWrite[]>();
  private readonly faults: SinkFault[] = [];
  /** Decides a fault per request from its body, e.g. a poison document that always fails. */
  faultFor: ((body: string) => SinkFault | undefined) | undefined;
  /** Called after a write is recorded and before the answer; may kill the caller. */
  afterCommit: ((write: SinkWrite) => void) | undefined;
  private server: Server | undefined;
  private counter = 0;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/documents`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server === undefined ? resolve() : this.server.close(() => resolve())));
  }

  /** Queues faults for the next POSTs, in order. */
  inject(...faults: SinkFault[]): void {
    this.faults.push(...faults);
  }

  count(reference: string): number {
    return this.byReference.get(reference)?.length ?? 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sink');
    if (req.method === 'GET') {
      const found = this.byReference.get(url.searchParams.get('reference') ?? '')?.[0];
      if (found === undefined) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: found.id }));
      }
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const fault = this.faultFor?.(body) ?? this.faults.shift();
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      res.writeHead(fault.status, headers).end('{"error":"injected"}');
      return;
    }
    const parsed = JSON.parse(body) as { reference: string; correlationId?: string };
    const write: SinkWrite = {
      reference: parsed.reference,
      id: `DOC${++this.counter}`,
      body,
      correlationId: parsed.correlationId,
      traceparent: req.headers['traceparent'] as string | undefined,
    };
    this.writes.push(write);
    const list = this.byReference.get(write.reference) ?? [];
    list.push(write);
    this.byReference.set(write.reference, list);
    this.afterCommit?.(write);
    if (fault?.kind === 'commit-then-drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: write.id }));
  }
}
