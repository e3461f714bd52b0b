/**
 * What the API needs for master data and the synchronous checks, built once by the composition root:
 * the repository (versioned snapshots), the in-process validation cache, the period calendar (held
 * in memory, read again every few seconds), budget figures and drift against the targets. Nothing
 * here runs a timer: `periodicTasks` lists what the hub's scheduler runs to keep them current.
 */
import type { Connectors } from '../../connectors/port.js';
import { PeriodCalendar, type PeriodCalendarConfigInput } from '../../validation/index.js';
import { BudgetFigures, type BudgetLimit } from '../budget-figures.js';
import type { MasterDataRepository } from '../ports.js';
import { MasterDataCache } from './cache.js';
import { computeMasterDataDrift, type DriftReport, type MasterDataDriftOptions } from './drift.js';

/** A piece of periodic work, in the shape the hub's scheduler runs. */
export interface RefreshTask {
  readonly name: string;
  readonly everyMs: number;
  readonly runAtStart?: boolean;
  run(): Promise<unknown>;
}

export interface MasterDataServices {
  readonly repository: MasterDataRepository;
  readonly cache: MasterDataCache;
  readonly budgets: BudgetFigures;
  /** The period calendar of the coding check (config `periods`). */
  calendar(): PeriodCalendar;
  /** Drift of every target, or of one. */
  drift(target?: string): Promise<DriftReport>;
  /** Loads the cache and the calendar once (before the API answers checks). */
  load(): Promise<void>;
  /** What keeps them current: the cache's revision check, the calendar, budget figures when configured. */
  periodicTasks(): RefreshTask[];
}

export interface MasterDataServicesOptions {
  readonly repository: MasterDataRepository;
  readonly connectors: Connectors;
  /** Config `budgets`. */
  readonly budgets: readonly BudgetLimit[];
  /** Config `periods`: the calendar before operator overrides. */
  readonly periods: PeriodCalendarConfigInput;
  /** Config `flows.masterData`: the targets drift is computed for and the expense lists they use. */
  readonly drift: Pick<MasterDataDriftOptions, 'targets' | 'expenseLists'>;
  /** The period calendar with operator overrides (read from the store); config `periods` only when absent. */
  readonly calendar?: () => Promise<PeriodCalendar>;
  /** How often the calendar is read again (default 3 s). */
  readonly calendarRefreshMs?: number;
  readonly onError?: (error: unknown) => void;
}

export function masterDataServices(options: MasterDataServicesOptions): MasterDataServices {
  const { repository, connectors } = options;
  const onError = options.onError ?? (() => undefined);
  const cache = new MasterDataCache(repository, { onError });
  const budgets = new BudgetFigures({ budgets: options.budgets, connectors, onError });
  // The coding check answers from memory, so the calendar (configuration plus operator overrides,
  // PUT /v1/periods/…) is held here and read again every few seconds.
  let calendar = new PeriodCalendar(options.periods);
  const readCalendar = async (): Promise<void> => {
    if (options.calendar !== undefined) calendar = await options.calendar();
  };
  return {
    repository,
    cache,
    budgets,
    calendar: () => calendar,
    drift: (target) =>
      computeMasterDataDrift(
        { repository, connectors, targets: options.drift.targets, expenseLists: options.drift.expenseLists },
        target,
      ),
    async load() {
      await Promise.all([cache.reload(), readCalendar()]);
    },
    periodicTasks() {
      const tasks: RefreshTask[] = [
        { name: 'master data cache', everyMs: cache.refreshMs, run: () => cache.checkRevision() },
        { name: 'period calendar', everyMs: options.calendarRefreshMs ?? 3_000, run: readCalendar },
      ];
      const budgetRefreshMs = budgets.refreshMs;
      if (budgetRefreshMs !== undefined)
        tasks.push({
          name: 'budget figures',
          everyMs: budgetRefreshMs,
          runAtStart: true,
          run: () => budgets.refresh(),
        });
      return tasks;
    },
  };
}
