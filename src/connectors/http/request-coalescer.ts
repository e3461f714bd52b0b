/**
 * Natural batching of calls a vendor accepts as one request (the way a database commits a group): a
 * call leaves at once while fewer than `maxInFlight` requests of its key are under way; calls that
 * arrive meanwhile wait and leave together, up to `maxItems` a request, as soon as one of those
 * requests ends. Alone, a call costs the one request it always cost; under load, one request carries
 * many documents and no call waits longer than one request ahead of it.
 *
 * `send` answers one result per item, in the items' order: a value, or an Error for that item alone
 * (a refused OData change set, say). When `send` throws, every call of that request gets the error,
 * except that a request of several items refused as a whole for a reason `splitWhen` recognises
 * (one item's bad field refusing the whole body) is sent again item by item, so each call gets the
 * answer it would have had alone.
 *
 * Tracing: each request is sent in a `batch <key>` span in the trace of its first call (so the
 * traceparent the vendor gets is that document's), linked to the span of every call it carries; a
 * request of one call is thus simply a child of its caller's span.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import { activeTraceparent, inSpan } from '../../observability/tracing.js';

export interface CoalescerOptions<I, R> {
  readonly maxItems: number;
  readonly maxInFlight: number;
  readonly send: (key: string, items: readonly I[]) => Promise<readonly (R | Error)[]>;
  readonly splitWhen?: (error: unknown) => boolean;
}

/**
 * The usual `splitWhen`: the vendor refused the request as a whole as wrong (a rejection or a
 * validation error, not a transient failure), which one item alone may have caused.
 */
export const refusedAsAWhole = (error: unknown): boolean =>
  error instanceof LedgerlinkError && (error.code === 'LL_ERR_REMOTE_REJECTED' || error.code === 'LL_ERR_VALIDATION');

interface Waiting<I, R> {
  readonly item: I;
  /** The caller's span, when tracing is on. */
  readonly traceparent: string | undefined;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

interface Lane<I, R> {
  readonly waiting: Waiting<I, R>[];
  inFlight: number;
}

export class RequestCoalescer<I, R> {
  private readonly lanes = new Map<string, Lane<I, R>>();
  private sent = 0;

  constructor(private readonly options: CoalescerOptions<I, R>) {
    if (options.maxItems < 1 || options.maxInFlight < 1)
      throw new RangeError('maxItems and maxInFlight must be at least 1');
  }

  /** Requests sent so far (each holding one or more calls). */
  get requests(): number {
    return this.sent;
  }

  submit(key: string, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let lane = this.lanes.get(key);
      if (lane === undefined) {
        lane = { waiting: [], inFlight: 0 };
        this.lanes.set(key, lane);
      }
      lane.waiting.push({ item, resolve, reject, traceparent: activeTraceparent() });
      this.pump(key, lane);
    });
  }

  private pump(key: string, lane: Lane<I, R>): void {
    while (lane.inFlight < this.options.maxInFlight && lane.waiting.length > 0) {
      const group = lane.waiting.splice(0, this.options.maxItems);
      lane.inFlight++;
      void this.deliver(key, group).finally(() => {
        lane.inFlight--;
        if (lane.waiting.length > 0) this.pump(key, lane);
        else if (lane.inFlight === 0) this.lanes.delete(key);
      });
    }
  }

  private async deliver(key: string, group: readonly Waiting<I, R>[]): Promise<void> {
    let results: readonly (R | Error)[];
    try {
      this.sent++;
      const items = group.map((w) => w.item);
      results = await inSpan(
        `batch ${key}`,
        {
          parent: group[0]?.traceparent ?? null,
          attributes: { 'ledgerlink.batch.key': key, 'ledgerlink.batch.items': group.length },
          links: group.flatMap((w) => (w.traceparent === undefined ? [] : [w.traceparent])),
        },
        () => this.options.send(key, items),
      );
    } catch (error) {
      if (group.length > 1 && this.options.splitWhen?.(error) === true) {
        await Promise.all(group.map((w) => this.deliver(key, [w])));
        return;
      }
      for (const w of group) w.reject(error);
      return;
    }
    group.forEach((w, index) => {
      const result = results[index];
      if (index >= results.length)
        w.reject(
          new LedgerlinkError(
            'LL_ERR_REMOTE_TRANSIENT',
            `a request of ${group.length} items was answered with ${results.length} results`,
            { details: [{ message: 'fewer results than items', key }] },
          ),
        );
      else if (result instanceof Error) w.reject(result);
      else w.resolve(result as R);
    });
  }
}
