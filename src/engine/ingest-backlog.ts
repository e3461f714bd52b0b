/**
 * Back-pressure for webhook ingest. The backlog is what the workers have not caught up with: inbox
 * events received and not yet dispatched into runs, plus jobs queued and due, plus the events this
 * process holds in its group commit. While it is at the limit, the ingest route refuses new deliveries
 * with 503 LL_ERR_INGEST_BACKLOG and a Retry-After (webhook senders deliver again later); an event
 * already accepted is never dropped, only new ones wait at the sender.
 *
 * The check on each request reads a number kept in memory. The store is asked on a timer (every
 * `refreshMs`), with counts bounded by the limit: a count never reads more index entries than the limit,
 * however deep the backlog.
 */
import { sql } from 'kysely';
import type { Store } from '../store/port.js';
import type { EngineLogger } from './engine-deps.js';

export interface BacklogSettings {
  /** Deliveries are refused while the backlog is at least this; 0 never refuses. */
  readonly maxBacklog: number;
  readonly retryAfterSeconds: number;
  readonly refreshMs: number;
}

export interface BacklogState {
  readonly backlog: number;
  readonly limit: number;
  readonly paused: boolean;
}

export interface IngestBacklogOptions {
  readonly store: Store;
  readonly settings: BacklogSettings;
  /** Events accepted by this process and not yet committed (the ingest group commit). */
  readonly pending: () => number;
  readonly logger: EngineLogger;
  readonly now?: () => number;
}

export class IngestBacklog {
  private readonly options: IngestBacklogOptions;
  private stored = 0;
  private wasPaused = false;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(options: IngestBacklogOptions) {
    this.options = options;
  }

  get settings(): BacklogSettings {
    return this.options.settings;
  }

  /** Counts once now, then every `refreshMs` until stopped. Does nothing when back-pressure is off. */
  async start(): Promise<void> {
    if (this.options.settings.maxBacklog === 0 || this.timer !== undefined) return;
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.settings.refreshMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.refreshing;
  }

  /** What a request sees: the last count plus this process's uncommitted events. No I/O. */
  state(): BacklogState {
    const limit = this.options.settings.maxBacklog;
    const backlog = this.stored + this.options.pending();
    return { backlog, limit, paused: limit > 0 && backlog >= limit };
  }

  /** Reads the backlog from the store (one refresh at a time); a failed read keeps the last figure. */
  refresh(): Promise<void> {
    this.refreshing ??= this.count()
      .then((stored) => {
        this.stored = stored;
        this.report();
      })
      .catch((error: unknown) => {
        this.options.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'ingest backlog: the store could not be counted; keeping the last figure',
        );
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  private async count(): Promise<number> {
    const { store, settings } = this.options;
    const cap = settings.maxBacklog;
    const now = (this.options.now ?? Date.now)();
    const inbox = store.db
      .selectFrom('inbox_events')
      .select(sql<number>`1`.as('one'))
      .where('status', '=', 'received')
      .limit(cap);
    const jobs = store.db
      .selectFrom('jobs')
      .select(sql<number>`1`.as('one'))
      .where('status', '=', 'queued')
      .where('run_at', '<=', now)
      .limit(cap);
    const [waiting, due] = await Promise.all([
      store.db
        .selectFrom(inbox.as('w'))
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirst(),
      store.db
        .selectFrom(jobs.as('d'))
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirst(),
    ]);
    return Number(waiting?.n ?? 0) + Number(due?.n ?? 0);
  }

  /** One log line when ingest pauses and one when it resumes, not one per refused delivery. */
  private report(): void {
    const state = this.state();
    if (state.paused === this.wasPaused) return;
    this.wasPaused = state.paused;
    const fields = { backlog: state.backlog, limit: state.limit };
    if (state.paused)
      this.options.logger.warn(fields, 'ingest backlog at its limit: webhook deliveries are refused with 503');
    else this.options.logger.info(fields, 'ingest backlog below its limit: webhook deliveries accepted again');
  }
}
