/**
 * Group commit for ingest: accepted events queue here and are written in one transaction per flush,
 * started as soon as the event loop turns (and at most `maxBatch` at a time). Each caller's promise
 * resolves only after the batch holding its event is durable, so a 202 always means stored.
 *
 * Before an event is queued its card numbers are masked (payload, headers, type, delivery and
 * correlation IDs) and its payload and headers are sealed by the payload codec, here on the calling
 * thread: what reaches the store, and the SQLite inbox writer thread, is already what is kept.
 */
import { createHash } from 'node:crypto';
import type { InboxInsertResult, NewInboxEvent, Store } from '../store/port.js';
import { newId } from './ids.js';
import { sealColumn, unprotected, type RecordProtection } from './record-protection.js';

export interface IngestRequest {
  readonly system: string;
  readonly eventType: string;
  /** The sender's delivery/event ID when it has one; otherwise a digest of the body is used. */
  readonly deliveryId: string | undefined;
  readonly correlationId: string | undefined;
  readonly contentType: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The W3C traceparent to continue when the event is processed (the receiving span's). */
  readonly traceContext?: string | null;
}

interface Pending {
  readonly event: NewInboxEvent;
  readonly resolve: (result: InboxInsertResult) => void;
  readonly reject: (error: unknown) => void;
}

export interface IngestBatcherOptions {
  readonly maxBatch: number;
  readonly maxInFlight: number;
  readonly onCommitted?: (count: number) => void;
  readonly protection: RecordProtection;
}

export function dedupeKeyOf(request: Pick<IngestRequest, 'deliveryId' | 'body'>): string {
  if (request.deliveryId !== undefined && request.deliveryId !== '') return request.deliveryId;
  return `sha256:${createHash('sha256').update(request.body).digest('hex')}`;
}

export class IngestBatcher {
  private readonly store: Store;
  private readonly options: IngestBatcherOptions;
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly idle = new Set<() => void>();

  constructor(store: Store, options: Partial<IngestBatcherOptions> = {}) {
    this.store = store;
    this.options = {
      maxBatch: options.maxBatch ?? 1_000,
      maxInFlight: options.maxInFlight ?? (store.dialect === 'postgres' ? 8 : 2),
      ...(options.onCommitted === undefined ? {} : { onCommitted: options.onCommitted }),
      protection: options.protection ?? unprotected,
    };
  }

  submit(request: IngestRequest, now: number = Date.now()): Promise<InboxInsertResult> {
    let event: NewInboxEvent;
    try {
      event = this.storable(request, newId('evt', now), now);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.schedule();
    });
  }

  /** The inbox row for a request: card numbers masked, payload and headers sealed. */
  private storable(request: IngestRequest, id: string, now: number): NewInboxEvent {
    const { masker, codec } = this.options.protection;
    const body = masker.maskJsonText(request.body);
    const deliveryId = request.deliveryId === undefined ? undefined : masker.maskText(request.deliveryId);
    return {
      id,
      system: request.system,
      dedupeKey: dedupeKeyOf({ deliveryId, body }),
      eventType: masker.maskText(request.eventType),
      receivedAt: now,
      correlationId:
        request.correlationId === undefined ? id.replace(/^evt_/, 'cor_') : masker.maskText(request.correlationId),
      contentType: request.contentType,
      payload: sealColumn(codec, 'inbox_events', 'payload', id, body),
      headers: sealColumn(codec, 'inbox_events', 'headers', id, masker.maskJsonText(JSON.stringify(request.headers))),
      traceContext: request.traceContext ?? null,
    };
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.queue.length === 0 || this.inFlight >= this.options.maxInFlight) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.inFlight++;
    try {
      const results = await this.store.insertInboxBatch(batch.map((p) => p.event));
      batch.forEach((p, i) => p.resolve(results[i]!));
      this.options.onCommitted?.(batch.length);
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      this.inFlight--;
      if (this.queue.length > 0) this.schedule();
      else if (this.inFlight === 0) for (const done of this.idle) done();
    }
  }

  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** Resolves once everything submitted so far is committed (or failed). */
  async drain(): Promise<void> {
    if (this.pending === 0) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.idle.delete(done);
        resolve();
      };
      this.idle.add(done);
    });
  }
}
