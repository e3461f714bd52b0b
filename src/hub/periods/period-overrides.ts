/**
 * Overrides of the period calendar, kept in the store (migration 7): an operator opens or closes a
 * posting period of one legal entity, or the hub records a closure it learned from an ERP rejection.
 * The latest decision per entity and period wins; each change is appended to the audit log in the
 * same transaction.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { Store } from '../../store/port.js';
import { appendAudit } from '../../engine/audit-log.js';

export type PeriodOverrideStatus = 'open' | 'closed';
export type PeriodOverrideSource = 'operator' | 'erp';

export interface PeriodOverrideRecord {
  /** Company code, or `*` for every entity. */
  readonly entity: string;
  /** YYYY-MM */
  readonly period: string;
  readonly status: PeriodOverrideStatus;
  readonly reason: string;
  readonly source: PeriodOverrideSource;
  readonly actor: string;
  readonly updatedAt: number;
}

export type SetPeriodOverride = Omit<PeriodOverrideRecord, 'updatedAt'>;

const ENTITY = /^(\*|[A-Za-z0-9]{1,10})$/;
const PERIOD = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

function refuse(message: string, path: string): never {
  throw new LedgerlinkError('LL_ERR_VALIDATION', message, { details: [{ path, message }] });
}

export class PeriodOverrideStore {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  async list(): Promise<PeriodOverrideRecord[]> {
    const rows = await this.store.db
      .selectFrom('period_overrides')
      .selectAll()
      .orderBy('entity')
      .orderBy('period')
      .execute();
    return rows.map((r) => ({
      entity: r.entity,
      period: r.period,
      status: r.status === 'open' ? 'open' : 'closed',
      reason: r.reason,
      source: r.source === 'erp' ? 'erp' : 'operator',
      actor: r.actor,
      updatedAt: Number(r.updated_at),
    }));
  }

  /** Records the decision (replacing an earlier one for the entity and period) and audits it. */
  async set(change: SetPeriodOverride): Promise<PeriodOverrideRecord> {
    if (!ENTITY.test(change.entity))
      refuse(`"${change.entity.slice(0, 32)}" is not a company code (1 to 10 letters or digits) or *`, 'entity');
    if (!PERIOD.test(change.period))
      refuse(`"${change.period.slice(0, 32)}" is not a period in the form YYYY-MM`, 'period');
    if (change.status !== 'open' && change.status !== 'closed') refuse('status must be open or closed', 'status');
    const reason = change.reason.trim();
    if (reason === '' || reason.length > 500)
      refuse('Give a reason (1 to 500 characters): it is shown to users and kept in the audit log', 'reason');
    const record: PeriodOverrideRecord = { ...change, reason, updatedAt: this.now() };
    await this.store.writeTransaction(async (tx) => {
      const row = {
        status: record.status,
        reason: record.reason,
        source: record.source,
        actor: record.actor,
        updated_at: record.updatedAt,
      };
      const existing = await tx
        .selectFrom('period_overrides')
        .select('status')
        .where('entity', '=', record.entity)
        .where('period', '=', record.period)
        .executeTakeFirst();
      if (existing === undefined) {
        await tx
          .insertInto('period_overrides')
          .values({ entity: record.entity, period: record.period, ...row })
          .execute();
      } else {
        await tx
          .updateTable('period_overrides')
          .set(row)
          .where('entity', '=', record.entity)
          .where('period', '=', record.period)
          .execute();
      }
      await appendAudit(tx, this.store.dialect, {
        actor: record.actor,
        action: record.status === 'open' ? 'period.opened' : 'period.closed',
        subject: `${record.entity}/${record.period}`,
        data: {
          entity: record.entity,
          period: record.period,
          status: record.status,
          reason: record.reason,
          source: record.source,
          previous: existing?.status ?? null,
        },
        at: record.updatedAt,
      });
    });
    return record;
  }
}

/** The calendar configuration shape (`periods:` of ledgerlink.yaml). */
export type PeriodCalendarConfig = Readonly<
  Record<string, { readonly closed?: readonly string[] | undefined; readonly closedBefore?: string | undefined }>
>;

export interface PeriodListing {
  readonly entity: string;
  readonly period: string;
  readonly status: PeriodOverrideStatus;
  /** `config` (the calendar in ledgerlink.yaml), `operator` or `erp` (an override). */
  readonly source: 'config' | PeriodOverrideSource;
  readonly reason: string;
  readonly actor?: string;
  readonly updatedAt?: number;
}

/**
 * Every period the configuration closes by name, with the overrides laid over them (an override
 * wins for its entity and period), sorted by entity and period. `closedBefore` rules are reported
 * per entity as they are written; periods not listed are open.
 */
export function listPeriods(config: PeriodCalendarConfig, overrides: readonly PeriodOverrideRecord[]): PeriodListing[] {
  const byKey = new Map<string, PeriodListing>();
  for (const [entity, entry] of Object.entries(config)) {
    for (const period of entry.closed ?? []) {
      byKey.set(`${entity}/${period}`, {
        entity,
        period,
        status: 'closed',
        source: 'config',
        reason: 'closed in the period calendar configuration',
      });
    }
  }
  for (const o of overrides) {
    byKey.set(`${o.entity}/${o.period}`, {
      entity: o.entity,
      period: o.period,
      status: o.status,
      source: o.source,
      reason: o.reason,
      actor: o.actor,
      updatedAt: o.updatedAt,
    });
  }
  return [...byKey.values()].sort((a, b) =>
    a.entity === b.entity ? (a.period < b.period ? -1 : 1) : a.entity < b.entity ? -1 : 1,
  );
}
