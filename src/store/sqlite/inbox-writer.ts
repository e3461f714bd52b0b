/**
 * The main-thread side of the inbox writer thread (inbox-writer-thread.ts): sends a batch, resolves
 * with the results once that batch is committed. Batches are written in the order they are sent.
 */
import { Worker } from 'node:worker_threads';
import { LedgerlinkError } from '../../canonical/errors.js';
import type { InboxInsertResult, NewInboxEvent } from '../port.js';

interface Pending {
  readonly resolve: (results: InboxInsertResult[]) => void;
  readonly reject: (error: unknown) => void;
}

type Reply = { id: number; results: InboxInsertResult[] } | { id: number; error: string };

/**
 * The thread runs the same build as this module: compiled JavaScript (dist/, the published package)
 * loads the thread's compiled file; TypeScript run through tsx (a checkout, the tests) registers tsx
 * in the thread first.
 */
function threadEntry(path: string, busyTimeoutMs: number): Worker {
  const workerData = { path, busyTimeoutMs };
  if (import.meta.url.endsWith('.js'))
    return new Worker(new URL('./inbox-writer-thread.js', import.meta.url), { workerData });
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
      .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./inbox-writer-thread.ts', import.meta.url).href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export class InboxWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;
  private closed: Promise<void> | undefined;

  constructor(path: string, busyTimeoutMs: number) {
    this.worker = threadEntry(path, busyTimeoutMs);
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`inbox writer thread exited with code ${code}`)));
  }

  insert(events: readonly NewInboxEvent[]): Promise<InboxInsertResult[]> {
    if (this.failure !== undefined || this.closed !== undefined) {
      return Promise.reject(
        new LedgerlinkError('LL_ERR_STORE_UNAVAILABLE', 'The inbox writer is not running', { cause: this.failure }),
      );
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, events });
    });
  }

  private settle(reply: Reply): void {
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (pending === undefined) return;
    if ('error' in reply)
      pending.reject(new LedgerlinkError('LL_ERR_STORE_UNAVAILABLE', `Inbox write failed: ${reply.error}`));
    else pending.resolve(reply.results);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) {
      pending.reject(
        new LedgerlinkError('LL_ERR_STORE_UNAVAILABLE', 'The inbox writer stopped; the batch was not confirmed', {
          cause: error,
        }),
      );
    }
    this.pending.clear();
  }

  /** Lets the batches in flight finish, then closes the thread's connection. */
  async close(): Promise<void> {
    this.closed ??= (async () => {
      while (this.pending.size > 0 && this.failure === undefined) await new Promise((r) => setTimeout(r, 5));
      if (this.failure === undefined) {
        const done = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
        this.worker.postMessage('close');
        await Promise.race([done, new Promise((r) => setTimeout(r, 1_000))]);
      }
      await this.worker.terminate();
    })();
    return this.closed;
  }
}
