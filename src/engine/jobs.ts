/**
 * Job writes. Every write made on behalf of a claimed job is fenced: it first renews the job's lease
 * with a conditional update on (id, lease token, unexpired lease); a worker whose lease expired or was
 * taken over finds no row, and its whole transaction is rolled back with LL_ERR_LEASE_LOST.
 */
import { LedgerlinkError } from '../canonical/errors.js';
import { jobTransitions, transition } from '../canonical/state-tables.js';
import type { ClaimedJob, Store, Tx } from '../store/port.js';
import { newId } from './ids.js';

export interface LeaseHolder {
  readonly job: ClaimedJob;
  readonly leaseMs: number;
}

export async function fence(tx: Tx, holder: LeaseHolder, now: number): Promise<void> {
  const result = await tx
    .updateTable('jobs')
    .set({ lease_until: now + holder.leaseMs, updated_at: now })
    .where('id', '=', holder.job.id)
    .where('lease_token', '=', holder.job.leaseToken)
    .where('status', '=', 'running')
    .where('lease_until', '>=', now)
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) {
    throw new LedgerlinkError(
      'LL_ERR_LEASE_LOST',
      `Lease on job ${holder.job.id} expired or was taken over; write rejected`,
      {
        details: [{ message: 'fenced out', jobId: holder.job.id, leaseToken: holder.job.leaseToken }],
      },
    );
  }
}

/** The run_at of a parked job: far enough ahead that it is never due until its connector resumes. */
export const PARKED_RUN_AT = 253_402_300_799_000;

export interface NewJob {
  readonly runId: string;
  readonly step: string;
  readonly maxAttempts: number;
  readonly runAt: number;
  readonly now: number;
  /** Parks the job for a paused connector (it is not claimed until the connector resumes). */
  readonly waitingOn?: string | null;
}

export async function enqueueJob(store: Store, tx: Tx, job: NewJob): Promise<string> {
  const id = newId('job', job.now);
  await tx
    .insertInto('jobs')
    .values({
      id,
      run_id: job.runId,
      step: job.step,
      status: 'queued',
      attempts: 0,
      max_attempts: job.maxAttempts,
      run_at: job.waitingOn === undefined || job.waitingOn === null ? job.runAt : PARKED_RUN_AT,
      lease_owner: null,
      lease_until: null,
      lease_token: 0,
      last_error: null,
      created_at: job.now,
      updated_at: job.now,
      waiting_on: job.waitingOn ?? null,
    })
    .execute();
  await store.signalJobs(tx);
  return id;
}

/**
 * The next step of a run as a job this worker already holds (claimed in the same transaction that
 * recorded the step before it), so the worker goes on with it at once instead of queueing it for a
 * claim. It is an ordinary running job with a lease: if the worker dies, the lease lapses and any
 * worker claims it, as any other.
 */
export async function enqueueHeldJob(tx: Tx, job: NewJob, owner: string, leaseMs: number): Promise<ClaimedJob> {
  const id = newId('job', job.now);
  const leaseUntil = job.now + leaseMs;
  await tx
    .insertInto('jobs')
    .values({
      id,
      run_id: job.runId,
      step: job.step,
      status: 'running',
      attempts: 1,
      max_attempts: job.maxAttempts,
      run_at: job.runAt,
      lease_owner: owner,
      lease_until: leaseUntil,
      lease_token: 1,
      last_error: null,
      created_at: job.now,
      updated_at: job.now,
      waiting_on: null,
    })
    .execute();
  return { id, runId: job.runId, step: job.step, attempts: 1, maxAttempts: job.maxAttempts, leaseToken: 1, leaseUntil };
}

export async function finishJob(
  tx: Tx,
  jobId: string,
  status: 'succeeded' | 'dead',
  now: number,
  lastError: string | null,
): Promise<void> {
  transition(jobTransitions, 'running', status, `job ${jobId}`);
  await tx
    .updateTable('jobs')
    .set({ status, lease_owner: null, lease_until: null, last_error: lastError, updated_at: now })
    .where('id', '=', jobId)
    .execute();
}

export async function rescheduleJob(
  tx: Tx,
  jobId: string,
  runAt: number,
  now: number,
  lastError: string,
): Promise<void> {
  await tx
    .updateTable('jobs')
    .set({
      status: 'queued',
      run_at: runAt,
      lease_owner: null,
      lease_until: null,
      last_error: lastError,
      updated_at: now,
    })
    .where('id', '=', jobId)
    .execute();
}

/** Gives a claimed job back untouched (graceful shutdown): the attempt it was charged is returned. */
export async function releaseJob(store: Store, holder: LeaseHolder, now: number): Promise<boolean> {
  try {
    await store.writeTransaction(async (tx) => {
      await fence(tx, holder, now);
      await tx
        .updateTable('jobs')
        .set((eb) => ({
          status: 'queued',
          lease_owner: null,
          lease_until: null,
          attempts: eb('attempts', '-', 1),
          updated_at: now,
        }))
        .where('id', '=', holder.job.id)
        .execute();
      await store.signalJobs(tx);
    });
    return true;
  } catch (error) {
    if (error instanceof LedgerlinkError && error.code === 'LL_ERR_LEASE_LOST') return false;
    throw error;
  }
}
