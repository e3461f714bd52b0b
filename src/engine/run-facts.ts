/** Business facts from a step outcome, as the run columns they are stored in (only those given). */
import { parseMoney } from '../canonical/money.js';
import type { RunsTable } from '../store/schema.js';
import type { RunFacts } from './step-api.js';

export type FactColumns = Partial<
  Pick<RunsTable, 'entity' | 'amount' | 'currency' | 'approved_at' | 'posted_at' | 'paid_at' | 'mapping_version'>
>;

export function runFactColumns(facts: RunFacts | undefined): FactColumns {
  if (facts === undefined) return {};
  const columns: FactColumns = {};
  if (facts.entity !== undefined) columns.entity = facts.entity;
  if (facts.amount !== undefined) {
    // Checked as money so a float or a bad currency never reaches the column.
    const money = parseMoney(facts.amount.amount, facts.amount.currency);
    columns.amount = money.amount;
    columns.currency = money.currency;
  }
  if (facts.approvedAt !== undefined) columns.approved_at = facts.approvedAt;
  if (facts.postedAt !== undefined) columns.posted_at = facts.postedAt;
  if (facts.paidAt !== undefined) columns.paid_at = facts.paidAt;
  if (facts.mappingVersion !== undefined) columns.mapping_version = facts.mappingVersion;
  return columns;
}
