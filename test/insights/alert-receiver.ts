/** A local HTTP receiver of alert webhooks: records every request with its raw body; can fail on purpose. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedAlert {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  readonly body: { type: string; data: { exceptionId: string; closeWindow?: unknown; slaMinutes?: number } };
}

export class AlertReceiver {
  readonly received: ReceivedAlert[] = [];
  /** Failures still to answer per path (HTTP 500), counted down. */
  readonly failures = new Map<string, number>();
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        const path = req.url ?? '/';
        this.received.push({
          path,
          headers: req.headers,
          rawBody,
          body: JSON.parse(rawBody.toString('utf8')) as ReceivedAlert['body'],
        });
        const left = this.failures.get(path) ?? 0;
        if (left > 0) this.failures.set(path, left - 1);
        res.statusCode = left > 0 ? 500 : 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  at(path: string): ReceivedAlert[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server === undefined ? resolve() : this.server.close(() => resolve())));
  }
}
