/**
 * The worker loop: dispatch received events into runs, claim due jobs up to the concurrency limit and
 * execute them. It sleeps until a job signal (LISTEN/NOTIFY, or in-process on SQLite) or the poll
 * interval. Stopping stops claiming, lets running steps finish within a grace period and gives back
 * the leases of those that do not.
 */
import { hostname } from 'node:os';
import type { ClaimedJob } from '../store/port.js';
import { dispatchInbox } from './dispatcher.js';
import type { EngineDeps } from './engine-deps.js';
import { newId } from './ids.js';
import { releaseJob } from './jobs.js';
import { PollerRunner } from './poller-runner.js';
import { executeJob } from './run-executor.js';

export interface WorkerOptions {
  /** Whether this worker also turns inbox events into runs. */
  readonly dispatch: boolean;
}

export class Worker {
  readonly id = `${hostname()}:${process.pid}:${newId('wrk')}`;
  private readonly deps: EngineDeps;
  private readonly options: WorkerOptions;
  private readonly active = new Map<string, { job: ClaimedJob; done: Promise<void> }>();
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  readonly pollers: PollerRunner;

  constructor(deps: EngineDeps, options: WorkerOptions) {
    this.deps = deps;
    this.options = options;
    this.pollers = new PollerRunner({
      store: deps.store,
      pollers: deps.flows.pollers(),
      owner: this.id,
      leaseMs: Math.max(deps.settings.leaseMs, 60_000),
      logger: deps.logger,
      now: deps.now,
      onStored: () => this.wake(),
      ...(deps.isSystemPaused === undefined ? {} : { isPaused: deps.isSystemPaused }),
    });
  }

  async start(): Promise<void> {
    if (this.loop !== undefined) return;
    this.stopping = false;
    this.unsubscribe = await this.deps.store.onJobsSignal(() => this.wake());
    this.loop = this.run();
  }

  wake(): void {
    const wake = this.wakeUp;
    this.wakeUp = undefined;
    wake?.();
  }

  get activeJobs(): number {
    return this.active.size;
  }

  private async run(): Promise<void> {
    const { settings, logger } = this.deps;
    while (!this.stopping) {
      let busy = false;
      try {
        if (this.options.dispatch) {
          await this.pollers.tick();
          busy = (await dispatchInbox(this.deps, settings.dispatchBatch)) > 0;
        }
        const free = settings.concurrency - this.active.size;
        if (free > 0 && !this.stopping) {
          const jobs = await this.deps.store.claimJobs({
            owner: this.id,
            limit: free,
            leaseMs: settings.leaseMs,
            now: this.deps.now(),
          });
          for (const job of jobs) this.launch(job);
          busy ||= jobs.length > 0;
        }
      } catch (error) {
        logger.error(
          { err: error instanceof Error ? error.message : String(error), worker: this.id },
          'worker loop error',
        );
      }
      if (this.stopping) break;
      if (this.active.size >= settings.concurrency) {
        await Promise.race([...this.active.values()].map((a) => a.done));
      } else if (!busy) {
        await this.sleep(settings.pollIntervalMs);
      }
    }
  }

  private launch(job: ClaimedJob): void {
    const done = executeJob(this.deps, job, {
      owner: this.id,
      proceed: () => !this.stopping,
      onHeld: (held) => {
        const entry = this.active.get(job.id);
        if (entry !== undefined) this.active.set(job.id, { ...entry, job: held });
      },
    })
      .catch((error: unknown) => {
        this.deps.logger.error(
          { jobId: job.id, err: error instanceof Error ? error.message : String(error) },
          'job execution failed',
        );
      })
      .finally(() => {
        this.active.delete(job.id);
        this.wake();
      });
    this.active.set(job.id, { job, done });
  }

  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = undefined;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Stops claiming; waits up to `graceMs` for running steps, then releases the leases still held. */
  async stop(graceMs = 10_000): Promise<{ finished: number; released: number }> {
    this.stopping = true;
    this.wake();
    await this.loop;
    this.loop = undefined;
    await this.unsubscribe?.();
    await this.pollers.settle();
    const running = [...this.active.values()];
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(running.map((a) => a.done)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    let released = 0;
    for (const { job } of this.active.values()) {
      if (await releaseJob(this.deps.store, { job, leaseMs: this.deps.settings.leaseMs }, this.deps.now())) released++;
    }
    return { finished: running.length - released, released };
  }
}
