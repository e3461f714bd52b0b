/**
 * What the API needs for master data and the synchronous checks, built once by the composition root:
 * the repository (versioned snapshots), the in-process validation cache, the period calendar (held
 * in memory, read again every few seconds), budget figures and drift against the targets.
 */
import type { LedgerlinkConfig } from '../../config/load-config.js';
import type { MasterDataRepository } from '../ports.js';
import { PeriodCalendar } from '../../validation/index.js';
import { BudgetFigures } from '../budget-figures.js';
import type { Connectors } from '../../connectors/port.js';
import { MasterDataCache } from './cache.js';
import { computeMasterDataDrift, type DriftReport } from './drift.js';

export interface MasterDataServices {
  readonly repository: MasterDataRepository;
  readonly cache: MasterDataCache;
  readonly budgets: BudgetFigures;
  /** The period calendar of the coding check (config `periods`). */
  calendar(): PeriodCalendar;
  /** Drift of every target, or of one. */
  drift(target?: string): Promise<DriftReport>;
  start(): Promise<void>;
  stop(): void;
}

export interface MasterDataServicesOptions {
  readonly config: LedgerlinkConfig;
  readonly repository: MasterDataRepository;
  readonly connectors: Connectors;
  /** The period calendar with operator overrides (read from the store); config `periods` only when absent. */
  readonly calendar?: () => Promise<PeriodCalendar>;
  /** How often the calendar is read again (default 3 s). */
  readonly calendarRefreshMs?: number;
  readonly onError?: (error: unknown) => void;
}

export function masterDataServices(options: MasterDataServicesOptions): MasterDataServices {
  const { config, repository, connectors } = options;
  const onError = options.onError ?? (() => undefined);
  const cache = new MasterDataCache(repository, { onError });
  const budgets = new BudgetFigures({ budgets: config.budgets, connectors, onError });
  // The coding check answers from memory, so the calendar (configuration plus operator overrides,
  // PUT /v1/periods/…) is held here and read again every few seconds.
  let calendar = new PeriodCalendar(config.periods);
  let calendarTimer: NodeJS.Timeout | undefined;
  const readCalendar = async (): Promise<void> => {
    if (options.calendar !== undefined) calendar = await options.calendar();
  };
  const section = config.flows.masterData;
  return {
    repository,
    cache,
    budgets,
    calendar: () => calendar,
    drift: (target) => computeMasterDataDrift({ repository, connectors, targets: section?.targets, expenseLists: section?.expenseLists }, target),
    async start() {
      await Promise.all([cache.start(), readCalendar()]);
      calendarTimer ??= setInterval(() => {
        readCalendar().catch(onError);
      }, options.calendarRefreshMs ?? 3_000);
      calendarTimer.unref();
      budgets.start();
    },
    stop() {
      cache.stop();
      budgets.stop();
      if (calendarTimer !== undefined) clearInterval(calendarTimer);
      calendarTimer = undefined;
    },
  };
}
