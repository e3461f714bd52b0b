/**
 * The effect ledger (DESIGN.md section 5). Before an external write the effect is recorded as pending
 * under a key derived from the run key and step; on success it is confirmed with the remote ID. When a
 * previous attempt may have reached the target (the effect was already attempted and not confirmed),
 * the document is first looked up by that key and only created if absent. Effects are never deleted.
 */
import type { Store, Tx } from '../store/port.js';
import type { EffectRequest, EffectResult } from './step-api.js';
import { fence, type LeaseHolder } from './jobs.js';
import { newId } from './ids.js';
import { idempotencyKey } from './keys.js';
import { sql } from 'kysely';
import { LedgerlinkError } from '../canonical/errors.js';

export interface EffectContext {
  readonly store: Store;
  readonly holder: LeaseHolder;
  readonly runId: string;
  readonly runKey: string;
  /** The key every version of the run's document shares (document-scoped effects). */
  readonly documentKey: string;
  readonly step: string;
  readonly now: () => number;
  /** Aborted when the step's lease is lost; no write starts after that. */
  readonly signal: AbortSignal;
  /**
   * Takes the confirmation of a write that landed, to record it in the transaction that records the
   * step (or its failure). Without it, each confirmation is its own transaction. Either way, a write
   * whose confirmation is never recorded (the process died first) is found by lookup on the next attempt.
   */
  readonly confirmLater?: (confirmation: EffectConfirmation) => void;
}

/** A write that landed: the remote ID under the effect's key. */
export interface EffectConfirmation {
  readonly system: string;
  readonly key: string;
  readonly remoteId: string;
  readonly how: string;
}

function assertLeaseHeld(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
}

/** Runs that may still write: an effect they hold is not taken over by another run of the document. */
const ACTIVE_RUN: ReadonlySet<string> = new Set(['pending', 'running', 'waiting']);

export async function performEffect(ctx: EffectContext, request: EffectRequest): Promise<EffectResult> {
  const runScoped = idempotencyKey(ctx.runKey, ctx.step, request.name);
  let key =
    request.sharedKey !== undefined
      ? idempotencyKey(`shared:${request.sharedKey}`, '', request.name)
      : request.scope === 'document'
        ? idempotencyKey(ctx.documentKey, ctx.step, request.name)
        : runScoped;
  const before = await ctx.store.writeTransaction(async (tx) => {
    const now = ctx.now();
    await fence(tx, ctx.holder, now);
    if (key !== runScoped && request.sharedKey === undefined) {
      // A run that wrote this effect under its run key (before the effect became document-scoped) keeps that key.
      const earlier = await tx
        .selectFrom('effects')
        .select('id')
        .where('system', '=', request.system)
        .where('idempotency_key', '=', runScoped)
        .executeTakeFirst();
      if (earlier !== undefined) key = runScoped;
    }
    // One statement: the effect recorded as pending, or, when it was recorded before, its attempts
    // counted (before the call: after a crash, the next attempt knows a write may have landed) unless
    // it is confirmed. `attempts` answers the count before this attempt.
    const counted = await tx
      .insertInto('effects')
      .values({
        id: newId('eff', now),
        system: request.system,
        idempotency_key: key,
        run_id: ctx.runId,
        step: ctx.step,
        status: 'pending',
        remote_id: null,
        attempts: 1,
        result: null,
        created_at: now,
        updated_at: now,
        confirmed_at: null,
      })
      .onConflict((oc) =>
        oc.columns(['system', 'idempotency_key']).doUpdateSet({
          attempts: sql<number>`CASE WHEN effects.status = 'confirmed' THEN effects.attempts ELSE effects.attempts + 1 END`,
          updated_at: sql<number>`CASE WHEN effects.status = 'confirmed' THEN effects.updated_at ELSE ${now} END`,
        }),
      )
      .returning(['status', 'remote_id', 'attempts', 'run_id'])
      .executeTakeFirstOrThrow();
    const row = {
      ...counted,
      attempts: counted.status === 'confirmed' ? Number(counted.attempts) : Number(counted.attempts) - 1,
    };
    if (row.status !== 'confirmed' && row.run_id !== ctx.runId) {
      // A document-scoped (or shared) write another run started: wait while that run may still finish it.
      const other = await tx.selectFrom('runs').select(['status']).where('id', '=', row.run_id).executeTakeFirst();
      if (other !== undefined && ACTIVE_RUN.has(other.status)) {
        throw new LedgerlinkError(
          'LL_ERR_EFFECT_IN_PROGRESS',
          `Run ${row.run_id} of the same document is writing ${request.name} to ${request.system}; this run waits for it instead of writing it again`,
          {
            details: [
              {
                message: 'effect held by another active run of the document',
                runId: row.run_id,
                effect: request.name,
                system: request.system,
              },
            ],
          },
        );
      }
      await tx
        .updateTable('effects')
        .set({ run_id: ctx.runId })
        .where('system', '=', request.system)
        .where('idempotency_key', '=', key)
        .execute();
    }
    return row;
  });
  if (before.status === 'confirmed' && before.remote_id !== null) {
    return { remoteId: before.remote_id, idempotencyKey: key, reused: true };
  }
  if (Number(before.attempts) > 0) {
    assertLeaseHeld(ctx.signal);
    const found = await request.lookup(key);
    if (found !== null) {
      await confirm(ctx, request.system, key, found, 'found by reference after an unknown outcome');
      return { remoteId: found, idempotencyKey: key, reused: true };
    }
  }
  assertLeaseHeld(ctx.signal);
  const remoteId = await request.create(key);
  await confirm(ctx, request.system, key, remoteId, 'created');
  return { remoteId, idempotencyKey: key, reused: false };
}

async function confirm(ctx: EffectContext, system: string, key: string, remoteId: string, how: string): Promise<void> {
  const confirmation = { system, key, remoteId, how };
  if (ctx.confirmLater !== undefined) {
    ctx.confirmLater(confirmation);
    return;
  }
  await ctx.store.writeTransaction(async (tx) => {
    const now = ctx.now();
    await fence(tx, ctx.holder, now);
    await recordConfirmations(tx, [confirmation], now);
  });
}

/** Marks writes that landed as confirmed, inside the caller's (fenced) transaction. */
export async function recordConfirmations(
  tx: Tx,
  confirmations: readonly EffectConfirmation[],
  now: number,
): Promise<void> {
  for (const c of confirmations)
    await tx
      .updateTable('effects')
      .set({ status: 'confirmed', remote_id: c.remoteId, result: c.how, confirmed_at: now, updated_at: now })
      .where('system', '=', c.system)
      .where('idempotency_key', '=', c.key)
      .execute();
}
