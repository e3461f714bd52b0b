/**
 * Runs a reconciliation over the store: reads the hub's runs for the period (and for every document
 * the source systems listed) with their confirmed ERP postings, optionally asks the ERP whether it
 * holds each posting, compares (reconciliation.ts), and keeps the result with an id, audited with who
 * ran it, the period and the counts — in one transaction.
 */
import type { Kysely } from 'kysely';
import { LedgerlinkError } from '../../canonical/errors.js';
import type { Store } from '../../store/port.js';
import type { Database } from '../../store/schema.js';
import { appendAudit } from '../../engine/audit-log.js';
import { newId } from '../../engine/ids.js';
import { EVIDENCE_STEP, PAYEE_ONBOARDING_STEP, REVERSAL_STEP } from '../../engine/step-api.js';
import {
  reconcile,
  type HubRun,
  type ReconciliationFindings,
  type ReconciliationPeriod,
  type SourceReadout,
} from './compare.js';

/** Asks the ERP for the document it holds under our reference; `undefined` when it cannot say. */
export type ErpReferenceCheck = (posting: {
  readonly reference: string;
  readonly entity: string | null;
  readonly erpSystem: string;
}) => Promise<string | null | undefined>;

export interface ReconciliationRequest extends ReconciliationPeriod {
  readonly actor: string;
  readonly sources: readonly SourceReadout[];
  /** The configured ERP systems' names; an effect on one of them is a posting. */
  readonly erpSystems: readonly string[];
  readonly checkInErp?: ErpReferenceCheck;
  /** At most this many postings are checked in the ERP (default 500). */
  readonly erpCheckLimit?: number;
}

export interface Reconciliation extends ReconciliationFindings {
  readonly id: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly period: {
    readonly from: string;
    readonly to: string;
    readonly entity: string | null;
    readonly processes: readonly string[];
  };
  readonly sources: readonly {
    readonly system: string;
    readonly process: string;
    readonly documents: number;
    readonly error: string | null;
  }[];
  readonly erpCheck: { readonly checked: number; readonly unanswered: number; readonly skipped: number };
}

const DAY_MS = 86_400_000;
const CHUNK = 200;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parsePeriod(from: string, to: string): { fromMs: number; toMs: number } {
  const fromMs = DATE.test(from) ? Date.parse(`${from}T00:00:00Z`) : Number.NaN;
  const toMs = DATE.test(to) ? Date.parse(`${to}T00:00:00Z`) + DAY_MS : Number.NaN;
  if (Number.isNaN(fromMs) || Number.isNaN(toMs) || fromMs >= toMs) {
    throw new LedgerlinkError(
      'LL_ERR_BAD_REQUEST',
      `The period ${from} to ${to} is not a valid pair of dates (YYYY-MM-DD, from not after to)`,
      {
        details: [{ path: 'from', message: 'YYYY-MM-DD, not after `to`' }],
      },
    );
  }
  return { fromMs, toMs };
}

type RunRow = Pick<
  Database['runs'],
  | 'id'
  | 'flow'
  | 'system'
  | 'document_id'
  | 'version'
  | 'status'
  | 'entity'
  | 'amount'
  | 'currency'
  | 'approved_at'
  | 'created_at'
>;
const runColumns = [
  'id',
  'flow',
  'system',
  'document_id',
  'version',
  'status',
  'entity',
  'amount',
  'currency',
  'approved_at',
  'created_at',
] as const;

/** The hub's runs approved in the period, and every run of the listed documents, with ERP postings. */
export async function loadHubRuns(
  db: Kysely<Database>,
  window: { fromMs: number; toMs: number },
  documents: readonly { readonly system: string; readonly documentId: string }[],
  erpSystems: readonly string[],
): Promise<HubRun[]> {
  const rows = new Map<string, RunRow>();
  const inPeriod = await db
    .selectFrom('runs')
    .select(runColumns)
    .where('approved_at', '>=', window.fromMs)
    .where('approved_at', '<', window.toMs)
    .execute();
  for (const row of inPeriod) rows.set(row.id, row);
  const bySystem = new Map<string, string[]>();
  for (const d of documents) bySystem.set(d.system, [...(bySystem.get(d.system) ?? []), d.documentId]);
  for (const [system, ids] of bySystem) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      const found = await db
        .selectFrom('runs')
        .select(runColumns)
        .where('system', '=', system)
        .where('document_id', 'in', ids.slice(i, i + CHUNK))
        .execute();
      for (const row of found) rows.set(row.id, row);
    }
  }
  const runIds = [...rows.keys()];
  const postings = new Map<string, HubRun['postings'][number][]>();
  const reversals = new Map<string, HubRun['postings'][number][]>();
  for (let i = 0; i < runIds.length; i += CHUNK) {
    const effects = await db
      .selectFrom('effects')
      .select(['run_id', 'system', 'idempotency_key', 'remote_id', 'step'])
      .where('status', '=', 'confirmed')
      .where('remote_id', 'is not', null)
      .where('step', 'not in', [EVIDENCE_STEP, PAYEE_ONBOARDING_STEP])
      .where('run_id', 'in', runIds.slice(i, i + CHUNK))
      .orderBy('created_at')
      .execute();
    for (const e of effects) {
      const run = rows.get(e.run_id)!;
      // Without a configured ERP, any write to a system other than the source counts as the posting.
      const isPosting = erpSystems.length > 0 ? erpSystems.includes(e.system) : e.system !== run.system;
      if (!isPosting) continue;
      const into = e.step === REVERSAL_STEP ? reversals : postings;
      into.set(e.run_id, [
        ...(into.get(e.run_id) ?? []),
        { reference: e.idempotency_key, erpSystem: e.system, erpDocumentId: e.remote_id! },
      ]);
    }
  }
  return [...rows.values()].map((r) => ({
    runId: r.id,
    flow: r.flow,
    system: r.system,
    documentId: r.document_id,
    version: r.version,
    status: r.status,
    entity: r.entity,
    amount: r.amount === null || r.currency === null ? null : { amount: r.amount, currency: r.currency },
    approvedAt: r.approved_at === null ? null : Number(r.approved_at),
    createdAt: Number(r.created_at),
    postings: postings.get(r.id) ?? [],
    ...(reversals.has(r.id) ? { reversals: reversals.get(r.id) ?? [] } : {}),
  }));
}

async function checkPostings(runs: readonly HubRun[], request: ReconciliationRequest) {
  const notFound: { runId: string; reference: string; erpDocumentId: string }[] = [];
  const check = request.checkInErp;
  const all = runs.flatMap((run) => run.postings.map((p) => ({ run, posting: p })));
  if (check === undefined) return { notFound, checked: 0, unanswered: 0, skipped: all.length };
  const limit = request.erpCheckLimit ?? 500;
  let checked = 0;
  let unanswered = 0;
  for (const { run, posting } of all.slice(0, limit)) {
    const held = await check({ reference: posting.reference, entity: run.entity, erpSystem: posting.erpSystem });
    if (held === undefined) {
      unanswered++;
      continue;
    }
    checked++;
    if (held === null)
      notFound.push({ runId: run.runId, reference: posting.reference, erpDocumentId: posting.erpDocumentId });
  }
  return { notFound, checked, unanswered, skipped: Math.max(0, all.length - limit) };
}

export async function runReconciliation(
  store: Store,
  request: ReconciliationRequest,
  now: number,
): Promise<Reconciliation> {
  const window = parsePeriod(request.from, request.to);
  const listed = request.sources.flatMap((s) =>
    s.documents.map((d) => ({ system: d.system, documentId: d.documentId })),
  );
  const runs = await loadHubRuns(store.db, window, listed, request.erpSystems);
  const erp = await checkPostings(runs, request);
  const findings = reconcile(request, request.sources, runs, erp.notFound);
  const processes = [...(request.processes ?? [])];
  const result: Reconciliation = {
    id: newId('rec', now),
    createdAt: new Date(now).toISOString(),
    createdBy: request.actor,
    period: { from: request.from, to: request.to, entity: request.entity ?? null, processes },
    sources: request.sources.map((s) => ({
      system: s.system,
      process: s.process,
      documents: s.documents.length,
      error: s.error ?? null,
    })),
    erpCheck: { checked: erp.checked, unanswered: erp.unanswered, skipped: erp.skipped },
    ...findings,
  };
  await store.writeTransaction(async (tx) => {
    await tx
      .insertInto('reconciliations')
      .values({
        id: result.id,
        created_at: now,
        created_by: request.actor,
        period_from: request.from,
        period_to: request.to,
        entity: request.entity ?? null,
        processes: JSON.stringify(processes),
        counts: JSON.stringify(result.counts),
        result: JSON.stringify(result),
      })
      .execute();
    await appendAudit(tx, store.dialect, {
      actor: request.actor,
      action: 'reconciliation.run',
      subject: `reconciliation ${result.id}`,
      at: now,
      data: { period: result.period, counts: result.counts, sources: result.sources },
    });
  });
  return result;
}

export async function getReconciliation(db: Kysely<Database>, id: string): Promise<Reconciliation | undefined> {
  const row = await db.selectFrom('reconciliations').select('result').where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : (JSON.parse(row.result) as Reconciliation);
}

/** A stored reconciliation by its id, over a store. */
export function reconciliationById(store: Store, id: string): Promise<Reconciliation | undefined> {
  return getReconciliation(store.db, id);
}
