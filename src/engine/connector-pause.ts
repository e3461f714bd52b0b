/**
 * Connector pause (DESIGN.md section 7, class auth). An auth failure that names its system pauses that
 * connector: the failing job is parked (its attempt given back) and waits, and so does every later job
 * whose step fails on the paused system, instead of burning attempts against refused credentials. One
 * exception (class auth, owned by the integration admin) makes the pause visible. Pollers ask
 * `isConnectorPaused` and skip. An operator resumes the connector: parked jobs become due at once and
 * the pause's exception is resolved.
 */
import type { Kysely } from 'kysely';
import { LedgerlinkError } from '../canonical/errors.js';
import { connectorTransitions, runTransitions, transition, type RunStatus } from '../canonical/state-tables.js';
import type { ClaimedJob, Store, Tx } from '../store/port.js';
import type { Database, RunsTable } from '../store/schema.js';
import { appendAudit } from './audit-log.js';
import type { EngineDeps } from './engine-deps.js';
import { insertException, systemOfFailure, type ClassifiedFailure } from './exceptions/classification.js';
import { PARKED_RUN_AT } from './jobs.js';
import { recordExceptionAction } from './exceptions/history.js';

export interface ConnectorState {
  readonly system: string;
  readonly status: 'active' | 'paused';
  readonly since: string;
  readonly reason: string | null;
  readonly exceptionId: string | null;
  readonly changedBy: string;
  /** Jobs parked until the connector resumes. */
  readonly waitingJobs: number;
}

/** True while an operator has not resumed the system's connector after an auth failure. */
export async function isConnectorPaused(db: Kysely<Database>, system: string): Promise<boolean> {
  const row = await db.selectFrom('connector_states').select('status').where('system', '=', system).executeTakeFirst();
  return row?.status === 'paused';
}

/** Marks the connector paused; true when this call paused it (false when it already was). */
async function pauseConnector(tx: Tx, system: string, reason: string, now: number): Promise<boolean> {
  const inserted = await tx
    .insertInto('connector_states')
    .values({ system, status: 'paused', since: now, reason, exception_id: null, changed_by: 'engine', updated_at: now })
    .onConflict((oc) => oc.column('system').doNothing())
    .executeTakeFirst();
  if (inserted.numInsertedOrUpdatedRows === 1n) return true;
  transition(connectorTransitions, 'active', 'paused', `connector ${system}`);
  const updated = await tx
    .updateTable('connector_states')
    .set({ status: 'paused', since: now, reason, exception_id: null, changed_by: 'engine', updated_at: now })
    .where('system', '=', system)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return updated.numUpdatedRows === 1n;
}

/**
 * Parks the job when its failure is an auth failure naming a system (pausing that connector) or any
 * failure naming a connector that is paused. Returns the system it waits for, or undefined.
 */
export async function parkForPausedConnector(
  deps: EngineDeps,
  tx: Tx,
  job: ClaimedJob,
  run: RunsTable,
  failure: ClassifiedFailure,
  now: number,
): Promise<string | undefined> {
  if (failure.code === 'LL_ERR_ATTEMPTS_EXHAUSTED') return undefined;
  const system = systemOfFailure(failure.details);
  if (system === undefined) return undefined;
  const auth = failure.exceptionClass === 'auth';
  if (!auth && !(await isConnectorPaused(tx, system))) return undefined;
  const newlyPaused = auth && (await pauseConnector(tx, system, `${failure.code}: ${failure.message}`, now));
  await tx
    .updateTable('jobs')
    .set((eb) => ({
      status: 'queued',
      run_at: PARKED_RUN_AT,
      waiting_on: system,
      attempts: eb('attempts', '-', 1),
      lease_owner: null,
      lease_until: null,
      last_error: `${failure.code}: ${failure.message}`,
      updated_at: now,
    }))
    .where('id', '=', job.id)
    .execute();
  await tx
    .updateTable('runs')
    .set({ status: transition(runTransitions, run.status as RunStatus, 'waiting', `run ${run.id}`), updated_at: now })
    .where('id', '=', run.id)
    .execute();
  if (newlyPaused) {
    const exceptionId = await insertException(tx, {
      runId: run.id,
      eventId: run.event_id,
      jobId: job.id,
      step: job.step,
      failure,
      owner: deps.owners.ownerOf('auth', run.flow),
      now,
      process: run.flow,
      entity: run.entity,
      system,
      slaDueAt: deps.owners.slaDueAt('auth', run.flow, now),
    });
    await tx.updateTable('connector_states').set({ exception_id: exceptionId }).where('system', '=', system).execute();
    await appendAudit(tx, deps.store.dialect, {
      actor: 'engine',
      action: 'connector.paused',
      subject: system,
      correlationId: run.correlation_id,
      data: { exceptionId, runId: run.id, code: failure.code, message: failure.message },
      at: now,
    });
  }
  return system;
}

export interface ResumeResult {
  readonly system: string;
  readonly resumed: boolean;
  readonly releasedJobs: number;
  readonly resolvedExceptions: number;
}

/** Resumes a paused connector: parked jobs become due now, the pause's open exceptions are resolved. */
export async function resumeConnector(
  store: Store,
  system: string,
  actor: string,
  reason: string | undefined,
  now: number,
): Promise<ResumeResult> {
  return store.writeTransaction(async (tx) => {
    const state = await tx.selectFrom('connector_states').selectAll().where('system', '=', system).executeTakeFirst();
    if (state === undefined || state.status !== 'paused') {
      return { system, resumed: false, releasedJobs: 0, resolvedExceptions: 0 };
    }
    transition(connectorTransitions, 'paused', 'active', `connector ${system}`);
    const updated = await tx
      .updateTable('connector_states')
      .set({ status: 'active', since: now, reason: reason ?? null, changed_by: actor, updated_at: now })
      .where('system', '=', system)
      .where('status', '=', 'paused')
      .executeTakeFirst();
    if (updated.numUpdatedRows !== 1n) return { system, resumed: false, releasedJobs: 0, resolvedExceptions: 0 };
    const released = await tx
      .updateTable('jobs')
      .set({ waiting_on: null, run_at: now, updated_at: now })
      .where('waiting_on', '=', system)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    let resolved = 0;
    if (state.exception_id !== null) {
      const closed = await tx
        .updateTable('exceptions')
        .set({
          status: 'resolved',
          resolved_at: now,
          resolved_by: actor,
          resolution: `connector ${system} resumed`,
          updated_at: now,
        })
        .where('id', '=', state.exception_id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      resolved = Number(closed.numUpdatedRows);
      if (resolved > 0) {
        await recordExceptionAction(tx, {
          exceptionId: state.exception_id,
          action: 'resolve',
          actor,
          reason: `connector ${system} resumed`,
          data: {},
          at: now,
        });
      }
    }
    await store.signalJobs(tx);
    await appendAudit(tx, store.dialect, {
      actor,
      action: 'connector.resumed',
      subject: system,
      data: {
        reason: reason ?? null,
        releasedJobs: Number(released.numUpdatedRows),
        resolvedExceptions: resolved,
        pausedSince: Number(state.since),
      },
      at: now,
    });
    return { system, resumed: true, releasedJobs: Number(released.numUpdatedRows), resolvedExceptions: resolved };
  });
}

/** Every connector that was ever paused, with its state and how many jobs wait for it. */
export async function listConnectorStates(db: Kysely<Database>): Promise<ConnectorState[]> {
  const rows = await db.selectFrom('connector_states').selectAll().orderBy('system').execute();
  const waiting = await db
    .selectFrom('jobs')
    .select(['waiting_on'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('waiting_on', 'is not', null)
    .where('status', '=', 'queued')
    .groupBy('waiting_on')
    .execute();
  const counts = new Map(waiting.map((w) => [w.waiting_on, Number(w.n)]));
  return rows.map((r) => ({
    system: r.system,
    status: r.status === 'paused' ? 'paused' : 'active',
    since: new Date(Number(r.since)).toISOString(),
    reason: r.reason,
    exceptionId: r.exception_id,
    changedBy: r.changed_by,
    waitingJobs: counts.get(r.system) ?? 0,
  }));
}

/** LL_ERR_CONNECTOR_PAUSED: the action would only park again; resume the connector first. */
export function connectorPausedError(system: string): LedgerlinkError {
  return new LedgerlinkError(
    'LL_ERR_CONNECTOR_PAUSED',
    `Connector ${system} is paused after an auth failure; resume it (POST /v1/connectors/${system}/resume) and the waiting work continues`,
    {
      details: [{ message: 'connector paused', system }],
    },
  );
}
