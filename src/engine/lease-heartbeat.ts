/**
 * Keeps a running step's lease alive: every third of the lease it renews it with a fenced update.
 * When renewal finds the lease lost (expired while the process stalled, or taken over) the signal
 * aborts, and the effect ledger refuses to start any further external write for that step.
 */
import { isLedgerlinkError } from '../canonical/errors.js';
import type { Store } from '../store/port.js';
import { fence, type LeaseHolder } from './jobs.js';

export class LeaseHeartbeat {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private renewing = false;

  constructor(store: Store, holder: LeaseHolder, now: () => number) {
    this.timer = setInterval(
      () => {
        if (this.renewing || this.controller.signal.aborted) return;
        this.renewing = true;
        store
          .writeTransaction((tx) => fence(tx, holder, now()))
          .catch((error: unknown) => {
            if (isLedgerlinkError(error) && error.code === 'LL_ERR_LEASE_LOST') {
              this.controller.abort(error);
              this.stop();
            }
          })
          .finally(() => {
            this.renewing = false;
          });
      },
      Math.max(10, Math.floor(holder.leaseMs / 3)),
    );
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
