/**
 * Shared set-up of the master data tests: the hub against the simulators with master data publishing
 * on, and small readers for what the targets hold.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LedgerlinkApp } from '../../src/app.js';
import type { HeldDimensionValue, HeldListValue } from '../../src/connectors/port.js';
import { MASTER_DATA_FLOW } from '../../src/canonical/processes.js';
import { request, type AppFixture } from '../api/app-fixture.js';
import type { Estate } from '../helpers/estate.js';
import { waitFor } from '../helpers/wait.js';

export function masterDataConfig(estate: Estate, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    systems: estate.systems,
    ownership: { masterData: 'erp' },
    // An hour between incremental polls: the tests poll when they want to.
    flows: {
      masterData: { source: 'erp', targets: ['procurement', 'expense'], trigger: { pollIntervalMs: 3_600_000 } },
    },
    periods: { '1010': { closed: ['2025-01'] } },
    ...extra,
  };
}

/** The same configuration as a file, for the CLI. */
export function writeConfigFile(config: Record<string, unknown>): string {
  const path = join(tmpdir(), `ll-md-${randomBytes(4).toString('hex')}.yaml`);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

interface RunRow {
  readonly id: string;
  readonly status: string;
}

async function masterDataRuns(fixture: AppFixture): Promise<RunRow[]> {
  const answer = await request(`${fixture.url}/v1/runs?flow=${MASTER_DATA_FLOW}&limit=100`, { headers: fixture.auth });
  return (answer.json as { runs: RunRow[] }).runs;
}

/** How many master data runs exist now. */
export async function masterDataRunCount(fixture: AppFixture): Promise<number> {
  return (await masterDataRuns(fixture)).length;
}

/** Waits until more than `before` master data runs exist and every one of them succeeded. */
export async function waitForMasterDataRuns(fixture: AppFixture, before: number): Promise<RunRow[]> {
  return waitFor(
    `a master data run after the first ${before} to succeed`,
    async () => {
      const runs = await masterDataRuns(fixture);
      const failed = runs.find((r) => r.status === 'exception');
      if (failed !== undefined)
        throw new Error(`master data run ${failed.id} became an exception: ${JSON.stringify(runs)}`);
      return runs.length > before && runs.every((r) => r.status === 'succeeded') ? runs : undefined;
    },
    60_000,
  );
}

export async function procurementHolds(app: LedgerlinkApp): Promise<Map<string, HeldDimensionValue>> {
  const port = app.connectors.procurement?.port;
  if (port?.listDimensions === undefined) throw new Error('procurement cannot be read');
  const held = await port.listDimensions();
  return new Map(
    held.map((v) => [v.kind === 'account' ? `account:${v.segments.join('-')}` : `${v.lookup}:${v.code}`, v]),
  );
}

export async function expenseHolds(app: LedgerlinkApp, listId: string): Promise<Map<string, HeldListValue>> {
  const port = app.connectors.expense?.port;
  if (port?.listValues === undefined) throw new Error('expense cannot be read');
  return new Map((await port.listValues(listId)).map((v) => [v.code, v]));
}
