/**
 * Which posting periods are open, per legal entity (company code). Periods are calendar months,
 * 'YYYY-MM'; the fiscal year is the calendar year.
 *
 * The ERP publishes no posting-period API, so the calendar comes from configuration — per entity or
 * `*` for all: `{ closed: ['2025-03'], closedBefore: '2025-01' }` — plus runtime overrides: a period
 * learned closed from an ERP rejection, or reopened by an operator. A period is open unless listed.
 *
 * Precedence, first that speaks wins:
 *   1. an override for the entity and period;
 *   2. an override for `*` and the period;
 *   3. the configuration: closed when the entity's entry or the `*` entry closes it (either one is
 *      enough, so `*` sets a floor every entity shares);
 *   4. open.
 *
 * Calendars are immutable: `withOverride` returns a new one.
 */
import { LedgerlinkError } from '../canonical/errors.js';
import { isIsoDate } from './dimension-key.js';

/** The configuration shape (PeriodCalendarSchema in the flows configuration). */
export type PeriodCalendarConfigInput = Readonly<
  Record<string, { readonly closed?: readonly string[] | undefined; readonly closedBefore?: string | undefined }>
>;

export type PeriodState = 'open' | 'closed';

export interface PeriodOverride {
  /** Company code, or `*` for every entity. */
  readonly entity: string;
  /** 'YYYY-MM'. */
  readonly period: string;
  readonly state: PeriodState;
  /** Why, shown to users: "ERP rejected posting: period 003/2025 is not open for company code 1010". */
  readonly note?: string;
}

export interface PeriodStatus {
  readonly period: string;
  readonly open: boolean;
  /** Why the period is closed (or why it was reopened), for messages. Absent for a plain open period. */
  readonly reason?: string;
  /** What decided: an override, the configuration, or the default (open). */
  readonly source: 'override' | 'config' | 'default';
}

export const ALL_ENTITIES = '*';
const PERIOD = /^[0-9]{4}-(0[1-9]|1[0-2])$/;
const ENTITY = /^(\*|[A-Za-z0-9]{1,10})$/;

interface EntityRules {
  readonly closed: ReadonlySet<string>;
  readonly closedBefore: string | undefined;
}

function configError(message: string, path: string): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_CONFIG_INVALID', message, { details: [{ path, message }] });
}

function readConfig(config: PeriodCalendarConfigInput): Map<string, EntityRules> {
  const rules = new Map<string, EntityRules>();
  for (const [entity, entry] of Object.entries(config)) {
    if (!ENTITY.test(entity))
      throw configError(`Period calendar key "${entity}" is not a company code or *`, `periodCalendar/${entity}`);
    const closed = new Set<string>();
    for (const [i, period] of (entry.closed ?? []).entries()) {
      if (!PERIOD.test(period))
        throw configError(`Closed period "${period}" is not YYYY-MM`, `periodCalendar/${entity}/closed/${i}`);
      closed.add(period);
    }
    if (entry.closedBefore !== undefined && !PERIOD.test(entry.closedBefore)) {
      throw configError(`closedBefore "${entry.closedBefore}" is not YYYY-MM`, `periodCalendar/${entity}/closedBefore`);
    }
    rules.set(entity, { closed, closedBefore: entry.closedBefore });
  }
  return rules;
}

function checkOverride(o: PeriodOverride): void {
  const where = 'periodOverride';
  if (!ENTITY.test(o.entity)) throw configError(`"${o.entity}" is not a company code or *`, `${where}/entity`);
  if (!PERIOD.test(o.period)) throw configError(`Period "${o.period}" is not YYYY-MM`, `${where}/period`);
  if (o.state !== 'open' && o.state !== 'closed')
    throw configError(`State "${String(o.state)}" is not open or closed`, `${where}/state`);
}

function overrideKey(entity: string, period: string): string {
  return `${entity}\u0000${period}`;
}

function describeEntity(entity: string): string {
  return entity === ALL_ENTITIES ? 'all company codes' : `company code ${entity}`;
}

export class PeriodCalendar {
  readonly #config: PeriodCalendarConfigInput;
  readonly #rules: ReadonlyMap<string, EntityRules>;
  readonly #overrides: ReadonlyMap<string, PeriodOverride>;

  /** Throws LL_ERR_CONFIG_INVALID when a key, period or override is malformed. */
  constructor(config: PeriodCalendarConfigInput = {}, overrides: readonly PeriodOverride[] = []) {
    this.#config = config;
    this.#rules = readConfig(config);
    const map = new Map<string, PeriodOverride>();
    for (const o of overrides) {
      checkOverride(o);
      map.set(overrideKey(o.entity, o.period), o);
    }
    this.#overrides = map;
  }

  /**
   * A new calendar with one more override, replacing an earlier one for the same entity and
   * period. `entity` is a company code or `*`; `period` is 'YYYY-MM'.
   */
  withOverride(entity: string, period: string, state: PeriodState, note?: string): PeriodCalendar {
    const next: PeriodOverride = note === undefined ? { entity, period, state } : { entity, period, state, note };
    const list = [...this.#overrides.values()].filter((o) => !(o.entity === entity && o.period === period));
    list.push(next);
    return new PeriodCalendar(this.#config, list);
  }

  /** Every override in force, sorted by entity then period. */
  overrides(): readonly PeriodOverride[] {
    return [...this.#overrides.values()].sort((a, b) =>
      a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : a.period < b.period ? -1 : a.period > b.period ? 1 : 0,
    );
  }

  /**
   * Status of the period `date` ('YYYY-MM-DD') falls in, for `entity` (company code).
   * Throws LL_ERR_VALIDATION when `date` is not a calendar date.
   */
  status(entity: string, date: string): PeriodStatus {
    if (!isIsoDate(date)) {
      const message = `Date ${JSON.stringify(String(date).slice(0, 32))} is not a calendar date (YYYY-MM-DD)`;
      throw new LedgerlinkError('LL_ERR_VALIDATION', message, { details: [{ path: 'date', message }] });
    }
    return this.periodStatus(entity, date.slice(0, 7));
  }

  /** Status of a period given as 'YYYY-MM'. */
  periodStatus(entity: string, period: string): PeriodStatus {
    const override =
      this.#overrides.size === 0
        ? undefined
        : (this.#overrides.get(overrideKey(entity, period)) ?? this.#overrides.get(overrideKey(ALL_ENTITIES, period)));
    if (override !== undefined) {
      const verb = override.state === 'open' ? 'reopened' : 'closed';
      const note = override.note === undefined ? '' : `: ${override.note}`;
      return {
        period,
        open: override.state === 'open',
        reason: `Period ${period} was ${verb} for ${describeEntity(override.entity)}${note}`,
        source: 'override',
      };
    }
    const closedBy =
      this.#closedByConfig(entity, period) ??
      (entity === ALL_ENTITIES ? undefined : this.#closedByConfig(ALL_ENTITIES, period));
    if (closedBy !== undefined) return { period, open: false, reason: closedBy, source: 'config' };
    return { period, open: true, source: 'default' };
  }

  #closedByConfig(entity: string, period: string): string | undefined {
    const rules = this.#rules.get(entity);
    if (rules === undefined) return undefined;
    if (rules.closed.has(period)) return `Period ${period} is closed for ${describeEntity(entity)}`;
    if (rules.closedBefore !== undefined && period < rules.closedBefore) {
      return `Period ${period} is closed for ${describeEntity(entity)}: every period before ${rules.closedBefore} is closed`;
    }
    return undefined;
  }
}
