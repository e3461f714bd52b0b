/**
 * The hub services the expense posting flow asks for, built from the store, the configuration and
 * the ERP connector: the period calendar (configuration, then overrides from the store, closures
 * learned from ERP rejections recorded there), and the coding check against the ERP's master data
 * (read once and kept for a few minutes).
 */
import type { ErpPort } from '../../connectors/port.js';
import { PeriodOverrideStore, type PeriodCalendarConfig } from './period-overrides.js';
import type { CodingChecker, CodingInput, CodingIssue, PeriodCalendarProvider } from '../ports.js';
import type { Store } from '../../store/port.js';
import { buildMasterDataIndex, type MasterDataIndex } from '../../validation/master-data-index.js';
import { PeriodCalendar } from '../../validation/period-calendar.js';
import { validateCoding } from '../../validation/coding.js';

/**
 * The validation module's PeriodCalendar over the configured calendar and the overrides held in
 * the store (read on each question, so an operator's reopening applies to the next retry).
 */
export class StorePeriodCalendar implements PeriodCalendarProvider {
  private readonly overrides: PeriodOverrideStore;

  constructor(
    store: Store,
    private readonly config: PeriodCalendarConfig,
  ) {
    this.overrides = new PeriodOverrideStore(store);
  }

  async calendar(): Promise<PeriodCalendar> {
    const held = await this.overrides.list();
    return new PeriodCalendar(
      this.config,
      held.map((o) => ({ entity: o.entity, period: o.period, state: o.status, note: o.reason })),
    );
  }

  async status(entity: string, date: string): Promise<{ period: string; open: boolean; reason?: string }> {
    const status = (await this.calendar()).status(entity, date);
    return {
      period: status.period,
      open: status.open,
      ...(status.reason === undefined ? {} : { reason: status.reason }),
    };
  }

  async recordClosure(entity: string, period: string, reason: string): Promise<void> {
    await this.overrides.set({ entity, period, status: 'closed', reason, source: 'erp', actor: 'engine' });
  }
}

const MASTER_DATA_TTL_MS = 5 * 60_000;

/**
 * The coding check (validateCoding) against the ERP's master data, read once and kept for a few
 * minutes, with the period calendar as it stands; warnings are left out.
 */
export class ErpCodingChecker implements CodingChecker {
  private cached: { at: number; index: Promise<MasterDataIndex> } | undefined;

  /**
   * `published` answers the master data the hub already holds in memory (the master data flow's
   * snapshots, kept current by the validation cache); the ERP is read only when there is none.
   */
  constructor(
    private readonly erp: ErpPort,
    private readonly periods: StorePeriodCalendar,
    private readonly published: () => MasterDataIndex | undefined = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  private index(): Promise<MasterDataIndex> {
    const held = this.published();
    if (held !== undefined) return Promise.resolve(held);
    if (this.cached === undefined || this.now() - this.cached.at > MASTER_DATA_TTL_MS) {
      const index = this.erp.readMasterData(null).then((snapshot) => buildMasterDataIndex(snapshot));
      this.cached = { at: this.now(), index };
      index.catch(() => {
        this.cached = undefined;
      });
    }
    return this.cached.index;
  }

  async check(inputs: readonly CodingInput[]): Promise<readonly CodingIssue[]> {
    const [index, calendar] = await Promise.all([this.index(), this.periods.calendar()]);
    return inputs.flatMap((input) =>
      validateCoding(input, index, calendar)
        .issues.filter((i) => i.severity === 'error')
        .map((i) => ({ code: i.code, message: i.message, path: i.path })),
    );
  }
}
