/**
 * The one scheduler of the hub's periodic work in a process: payload retention and alert delivery
 * (worker role), and the master data cache, period calendar and budget figures held in memory for
 * the synchronous checks (api role). Each task runs on its own interval, never twice at once; a
 * failure is reported and the task runs again at its next turn. Timers do not keep the process alive.
 */
export interface PeriodicTask {
  /** Names the task in logs. */
  readonly name: string;
  readonly everyMs: number;
  /** Run once as soon as the scheduler starts (default false: first run after `everyMs`). */
  readonly runAtStart?: boolean;
  run(): Promise<unknown>;
}

interface Scheduled {
  readonly task: PeriodicTask;
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
}

export class Scheduler {
  readonly #tasks: Scheduled[] = [];
  #started = false;

  constructor(private readonly onError: (task: string, error: unknown) => void) {}

  /** Adds a task; added after start, it starts at once. */
  add(task: PeriodicTask): void {
    const scheduled: Scheduled = { task, timer: undefined, running: undefined };
    this.#tasks.push(scheduled);
    if (this.#started) this.#arm(scheduled);
  }

  get taskNames(): string[] {
    return this.#tasks.map((s) => s.task.name);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const scheduled of this.#tasks) this.#arm(scheduled);
  }

  /** Stops every timer and waits for the runs in progress. */
  async stop(): Promise<void> {
    this.#started = false;
    for (const scheduled of this.#tasks) {
      if (scheduled.timer !== undefined) clearInterval(scheduled.timer);
      scheduled.timer = undefined;
    }
    await Promise.all(this.#tasks.flatMap((s) => (s.running === undefined ? [] : [s.running])));
  }

  #arm(scheduled: Scheduled): void {
    if (scheduled.timer !== undefined) return;
    scheduled.timer = setInterval(() => this.#tick(scheduled), scheduled.task.everyMs);
    scheduled.timer.unref();
    if (scheduled.task.runAtStart === true) this.#tick(scheduled);
  }

  #tick(scheduled: Scheduled): void {
    if (scheduled.running !== undefined) return;
    scheduled.running = scheduled.task
      .run()
      .then(
        () => undefined,
        (error: unknown) => this.onError(scheduled.task.name, error),
      )
      .finally(() => {
        scheduled.running = undefined;
      });
  }
}
