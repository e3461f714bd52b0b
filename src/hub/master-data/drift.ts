/**
 * Drift: per target system and dimension, what the target lacks, holds stale or inactive, still
 * offers after retirement, or holds without the ERP knowing it — the hub's current snapshot against
 * what each target holds, read through the ports. Serves `GET /v1/master-data/drift` and
 * `ledgerlink drift`. A target that cannot be read is reported with its error (and counts as drift:
 * nobody can say it is aligned). Unexpected values are listed but are not drift: the hub publishes
 * what the ERP has and leaves other values alone.
 */
import { isLedgerlinkError, LedgerlinkError } from '../../canonical/errors.js';
import type { MasterDataRepository } from '../ports.js';
import { heldMasterData } from './entries.js';
import {
  DEFAULT_EXPENSE_LISTS,
  driftOf,
  EXPENSE_DIMENSIONS,
  expenseValues,
  hasDrift,
  listActuals,
  procurementActuals,
  PROCUREMENT_DIMENSIONS,
  procurementValues,
  type ExpenseDimension,
} from './targets.js';
import type { DimensionDrift } from '../../validation/index.js';
import type { Connectors } from '../../connectors/port.js';

export interface DimensionDriftReport extends DimensionDrift {
  readonly drift: boolean;
}

export interface TargetDriftReport {
  readonly system: string;
  readonly role: 'procurement' | 'expense';
  readonly drift: boolean;
  /** Why the target could not be compared (not readable through its connector). */
  readonly error?: string;
  readonly dimensions: Readonly<Record<string, DimensionDriftReport>>;
}

export interface DriftReport {
  /** The day retirement by validity is judged on (YYYY-MM-DD). */
  readonly asOf: string;
  readonly drift: boolean;
  readonly targets: readonly TargetDriftReport[];
}

export interface MasterDataDriftOptions {
  readonly repository: MasterDataRepository;
  readonly connectors: Connectors;
  /** Systems master data is published to (flows.masterData.targets); default: procurement and expense. */
  readonly targets?: readonly string[] | undefined;
  readonly expenseLists?: Readonly<Partial<Record<ExpenseDimension, string>>> | undefined;
  readonly now?: () => number;
}

function report(drift: DimensionDrift): DimensionDriftReport {
  return { ...drift, drift: hasDrift(drift) };
}

/** Reads again (up to three times) when the target answers 429/503 with a wait: a drift check only reads. */
async function patiently<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= 3 || !isLedgerlinkError(error) || error.code !== 'LL_ERR_REMOTE_TRANSIENT') throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(error.retryAfterMs ?? 1_000, 5_000)));
    }
  }
}

function failure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function computeMasterDataDrift(options: MasterDataDriftOptions, only?: string): Promise<DriftReport> {
  const today = new Date((options.now ?? Date.now)()).toISOString().slice(0, 10);
  const { procurement, expense } = options.connectors;
  const targets = options.targets ?? [procurement?.system, expense?.system].filter((t): t is string => t !== undefined);
  if (only !== undefined && !targets.includes(only)) {
    throw new LedgerlinkError(
      'LL_ERR_UNKNOWN_SYSTEM',
      `${only} is not a master data target (targets: ${targets.join(', ') || 'none'})`,
      {
        details: [{ path: 'target', message: `expected one of ${targets.join(', ') || 'none'}` }],
      },
    );
  }
  const held = heldMasterData(await options.repository.current({ includeRetired: true }), today);
  const out: TargetDriftReport[] = [];
  for (const system of targets) {
    if (only !== undefined && system !== only) continue;
    if (procurement !== undefined && system === procurement.system) {
      const expected = procurementValues(held, today);
      const port = procurement.port;
      try {
        const list = port.listDimensions?.bind(port);
        if (list === undefined) throw new Error('the connector cannot read dimensions back');
        const actual = procurementActuals(await patiently(list));
        const dimensions = Object.fromEntries(
          PROCUREMENT_DIMENSIONS.map((d) => [d, report(driftOf(expected[d], actual[d], today))]),
        );
        out.push({ system, role: 'procurement', drift: Object.values(dimensions).some((d) => d.drift), dimensions });
      } catch (error) {
        out.push({ system, role: 'procurement', drift: true, error: failure(error), dimensions: {} });
      }
    } else if (expense !== undefined && system === expense.system) {
      const expected = expenseValues(held, today);
      const port = expense.port;
      try {
        const list = port.listValues?.bind(port);
        if (list === undefined) throw new Error('the connector cannot read list items back');
        const dimensions: Record<string, DimensionDriftReport> = {};
        for (const d of EXPENSE_DIMENSIONS) {
          const listId = options.expenseLists?.[d] ?? DEFAULT_EXPENSE_LISTS[d];
          dimensions[d] = report(driftOf(expected[d], listActuals(await patiently(() => list(listId))), today));
        }
        out.push({ system, role: 'expense', drift: Object.values(dimensions).some((d) => d.drift), dimensions });
      } catch (error) {
        out.push({ system, role: 'expense', drift: true, error: failure(error), dimensions: {} });
      }
    }
  }
  return { asOf: today, drift: out.some((t) => t.drift), targets: out };
}
