/**
 * The hub services the expense posting flow asks for, built from the store, the configuration and
 * the ERP connector: the period calendar (configuration, then overrides from the store, closures
 * learned from ERP rejections recorded there), and the coding check against the ERP's master data
 * (read once and kept for a few minutes).
 */
import type { MasterDataSnapshot, ErpPort } from '../connectors/port.js';
import { PeriodOverrideStore, type PeriodCalendarConfig } from '../engine/period-overrides.js';
import type { CodingChecker, CodingInput, CodingIssue, PeriodCalendarProvider } from '../flows/expense-posting.js';
import type { Store } from '../store/port.js';

/** Precedence: an override for the entity, then one for `*`, then the configuration; else open. */
export class StorePeriodCalendar implements PeriodCalendarProvider {
  private readonly overrides: PeriodOverrideStore;

  constructor(store: Store, private readonly config: PeriodCalendarConfig) {
    this.overrides = new PeriodOverrideStore(store);
  }

  async status(entity: string, date: string): Promise<{ period: string; open: boolean; reason?: string }> {
    const period = date.slice(0, 7);
    const held = await this.overrides.list();
    const override = held.find((o) => o.entity === entity && o.period === period) ?? held.find((o) => o.entity === '*' && o.period === period);
    if (override !== undefined) {
      const verb = override.status === 'open' ? 'reopened' : 'closed';
      return { period, open: override.status === 'open', reason: `Period ${period} was ${verb} for company code ${entity}: ${override.reason}` };
    }
    for (const key of [entity, '*']) {
      const rules = this.config[key];
      if (rules === undefined) continue;
      if ((rules.closed ?? []).includes(period)) return { period, open: false, reason: `Period ${period} is closed for company code ${entity}` };
      if (rules.closedBefore !== undefined && period < rules.closedBefore) {
        return { period, open: false, reason: `Period ${period} is closed for company code ${entity}: every period before ${rules.closedBefore} is closed` };
      }
    }
    return { period, open: true };
  }

  async recordClosure(entity: string, period: string, reason: string): Promise<void> {
    await this.overrides.set({ entity, period, status: 'closed', reason, source: 'erp', actor: 'engine' });
  }
}

const MASTER_DATA_TTL_MS = 5 * 60_000;

/** Checks coding against the ERP's master data: company code, GL account, cost center on the date, tax code. */
export class ErpCodingChecker implements CodingChecker {
  private cached: { at: number; snapshot: Promise<MasterDataSnapshot> } | undefined;

  constructor(private readonly erp: ErpPort, private readonly now: () => number = Date.now) {}

  private snapshot(): Promise<MasterDataSnapshot> {
    if (this.cached === undefined || this.now() - this.cached.at > MASTER_DATA_TTL_MS) {
      const snapshot = this.erp.readMasterData(null);
      this.cached = { at: this.now(), snapshot };
      snapshot.catch(() => {
        this.cached = undefined;
      });
    }
    return this.cached.snapshot;
  }

  async check(inputs: readonly CodingInput[]): Promise<readonly CodingIssue[]> {
    const data = await this.snapshot();
    const issues: CodingIssue[] = [];
    for (const input of inputs) {
      const cc = input.entity;
      if (!data.legalEntities.some((e) => e.companyCode === cc)) {
        issues.push({ code: 'entity_unknown', path: 'entity', message: `Company code ${cc} does not exist in the ERP; check the employee's company code in the directory` });
        continue;
      }
      const account = data.glAccounts.find((a) => a.companyCode === cc && a.number === input.account);
      if (account === undefined) issues.push({ code: 'account_unknown', path: 'account', message: `GL account ${input.account} does not exist in company code ${cc}; correct the mapping` });
      else if (account.blocked || !account.postingAllowed) issues.push({ code: 'account_blocked', path: 'account', message: `GL account ${input.account} is blocked for posting in company code ${cc}; map the expense type to an open account` });
      if (input.costCenter !== undefined) {
        const versions = data.costCenters.filter((c) => c.companyCode === cc && c.code === input.costCenter);
        const valid = versions.some((c) => c.validFrom <= input.date && (c.validTo === undefined || input.date <= c.validTo) && !c.blocked);
        if (!valid) issues.push({ code: versions.length === 0 ? 'cost_center_unknown' : 'cost_center_not_valid_on_date', path: 'costCenter', message: `Cost center ${input.costCenter} is not valid in company code ${cc} on ${input.date}; choose another cost center on the report or in the mapping` });
      }
      if (input.taxCode !== undefined && !data.taxCodes.some((t) => t.companyCode === cc && t.code === input.taxCode)) {
        issues.push({ code: 'tax_code_unknown', path: 'taxCode', message: `Tax code ${input.taxCode} does not exist for company code ${cc}; correct the tax mapping` });
      }
    }
    return issues;
  }
}
