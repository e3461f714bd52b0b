/**
 * Every schema migration, in the order it applies. Append a new one as the next file
 * (`NNN-<name>.ts`, NNN above the last) and list it at the end here; never edit or renumber a
 * released one, because existing databases have recorded its version. Version 5 was never used
 * by a released migration; the gap stays, and the runner does not need versions to be contiguous.
 */
import { assertAscendingVersions, type Migration, type MigrationDefinition } from '../migration-runner.js';
import type { ColumnTypes } from './column-types.js';
import { durableCore } from './001-durable-core.js';
import { financeFlows } from './002-finance-flows.js';
import { operations } from './003-operations.js';
import { reconciliationsAndAlerts } from './004-reconciliations-and-alerts.js';
import { mappingSetPublication } from './006-mapping-set-publication.js';
import { periodCalendarOverrides } from './007-period-calendar-overrides.js';
import { supplierStates } from './008-supplier-states.js';
import { consoleSessions } from './009-console-sessions.js';
import { traceContext } from './010-trace-context.js';
import { agents } from './011-agents.js';
import { kpiRollups } from './012-kpi-rollups-and-console-indexes.js';

export const migrationDefinitions: readonly MigrationDefinition[] = [
  durableCore,
  financeFlows,
  operations,
  reconciliationsAndAlerts,
  mappingSetPublication,
  periodCalendarOverrides,
  supplierStates,
  consoleSessions,
  traceContext,
  agents,
  kpiRollups,
];

assertAscendingVersions(migrationDefinitions);

/** The migrations with a dialect's column types filled in, in the same order. */
export function migrationsFor(types: ColumnTypes): Migration[] {
  return migrationDefinitions.map((d) => ({ version: d.version, name: d.name, statements: d.statements(types) }));
}
