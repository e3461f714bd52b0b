/**
 * What the API needs for master data and the synchronous checks, built once by the composition root:
 * the repository (versioned snapshots), the in-process validation cache, the period calendar, budget
 * figures and drift against the targets.
 */
import type { LedgerlinkConfig } from '../config/load-config.js';
import type { MasterDataRepository } from '../engine/step-api.js';
import { PeriodCalendar } from '../validation/index.js';
import { BudgetFigures } from './budget-figures.js';
import type { Connectors } from './connectors-from-config.js';
import { MasterDataCache } from './master-data-cache.js';
import { computeMasterDataDrift, type DriftReport } from './master-data-drift.js';

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
  readonly onError?: (error: unknown) => void;
}

export function masterDataServices(options: MasterDataServicesOptions): MasterDataServices {
  const { config, repository, connectors } = options;
  const onError = options.onError ?? (() => undefined);
  const cache = new MasterDataCache(repository, { onError });
  const budgets = new BudgetFigures({ budgets: config.budgets, connectors, onError });
  // Built once: the configuration is fixed for the process's life. Operator overrides of periods
  // (PUT /v1/periods/…) will come from the calendar provider when it exists.
  const calendar = new PeriodCalendar(config.periods);
  const section = config.flows.masterData;
  return {
    repository,
    cache,
    budgets,
    calendar: () => calendar,
    drift: (target) => computeMasterDataDrift({ repository, connectors, targets: section?.targets, expenseLists: section?.expenseLists }, target),
    async start() {
      await cache.start();
      budgets.start();
    },
    stop() {
      cache.stop();
      budgets.stop();
    },
  };
}
