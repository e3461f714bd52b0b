/**
 * Audit rows for refused requests (`auth.denied`): 401s, 403s and refused webhook signatures.
 *
 * A flood of bad requests must not grow the audit log without bound, so denials are aggregated per
 * one-minute window. The key is (client IP, reason, route, action, token): the first denial of a key
 * in a window is written at once with `count: 1`; identical denials after it in the same window are
 * only counted in memory and written as one more row (`count: n, repeated: true`) when the window
 * closes (checked on the next denial, every minute by a timer, and on shutdown). At most
 * `maxKeysPerWindow` distinct keys are tracked per window; denials beyond that fold into a single
 * overflow key (`ip: "*"`). So a window adds at most 2 × (maxKeysPerWindow + 1) rows, whatever the
 * request rate. A failed audit write is logged and never turns a 401 into a 500.
 */
import { appendAudit } from '../engine/audit-log.js';
import type { Store } from '../store/port.js';

export interface AuthDenial {
  /** `missing`, `malformed`, `unknown`, `expired`, `revoked`, `forbidden`, `no_access_rule`, or a signature failure. */
  readonly reason: string;
  /** The error code answered. */
  readonly code: string;
  /** `METHOD /route/:pattern` (the pattern, not the URL, so keys stay few). */
  readonly route: string;
  readonly action: string | null;
  readonly tokenId: string | null;
  readonly tokenName: string | null;
  readonly ip: string;
}

export interface DenialAuditOptions {
  readonly windowMs?: number;
  readonly maxKeysPerWindow?: number;
  readonly clock?: () => number;
  readonly onError?: (error: unknown) => void;
}

interface Tracked {
  readonly denial: AuthDenial;
  repeats: number;
}

const OVERFLOW_KEY = '\u0000overflow';

export class DenialAudit {
  readonly #store: Pick<Store, 'writeTransaction' | 'dialect'>;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #clock: () => number;
  readonly #onError: (error: unknown) => void;
  #window = -1;
  #tracked = new Map<string, Tracked>();
  #timer: NodeJS.Timeout | undefined;

  constructor(store: Pick<Store, 'writeTransaction' | 'dialect'>, options: DenialAuditOptions = {}) {
    this.#store = store;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxKeys = options.maxKeysPerWindow ?? 1_000;
    this.#clock = options.clock ?? Date.now;
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Flushes closed windows every window length; the timer never keeps the process alive. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.#rollOver(this.#clock()), this.#windowMs);
    this.#timer.unref();
  }

  /** Stops the timer and writes the repeat counts of the open window. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  /** Records one denial; resolves once its row is written (or it was only counted). Never rejects. */
  async record(denial: AuthDenial): Promise<void> {
    const now = this.#clock();
    await this.#rollOver(now);
    let key = keyOf(denial);
    let entry = denial;
    if (!this.#tracked.has(key) && this.#tracked.size >= this.#maxKeys) {
      key = OVERFLOW_KEY;
      entry = { reason: 'many', code: denial.code, route: '*', action: null, tokenId: null, tokenName: null, ip: '*' };
    }
    const tracked = this.#tracked.get(key);
    if (tracked !== undefined) {
      tracked.repeats++;
      return;
    }
    this.#tracked.set(key, { denial: entry, repeats: 0 });
    await this.#write(entry, { count: 1 }, now);
  }

  /** Writes the counted repeats of every tracked key and starts a fresh window. */
  async flush(window: number = this.#window): Promise<void> {
    const tracked = this.#tracked;
    this.#tracked = new Map();
    const now = this.#clock();
    for (const { denial, repeats } of tracked.values()) {
      if (repeats === 0) continue;
      const windowStart = window < 0 ? now : window * this.#windowMs;
      await this.#write(
        denial,
        { count: repeats, repeated: true, windowStart, windowEnd: windowStart + this.#windowMs },
        now,
      );
    }
  }

  async #rollOver(now: number): Promise<void> {
    const window = Math.floor(now / this.#windowMs);
    if (window === this.#window) return;
    const closed = this.#window;
    this.#window = window;
    if (this.#tracked.size > 0) await this.flush(closed);
  }

  async #write(denial: AuthDenial, counts: Record<string, unknown>, at: number): Promise<void> {
    try {
      await this.#store.writeTransaction((tx) =>
        appendAudit(tx, this.#store.dialect, {
          actor: denial.tokenName === null ? 'anonymous' : `token:${denial.tokenName}`,
          action: 'auth.denied',
          subject: denial.route,
          data: { ...denial, ...counts },
          at,
        }),
      );
    } catch (error) {
      this.#onError(error);
    }
  }
}

function keyOf(d: AuthDenial): string {
  return [d.ip, d.reason, d.code, d.route, d.action ?? '', d.tokenId ?? ''].join('\u0000');
}
