/**
 * Turns received inbox events into runs. For each event every flow is asked whether it handles it;
 * a run is created once per run key (`flow:system:documentId:version`), so the same document version
 * arriving by webhook and by poll, under different event IDs, still makes one run. An event that
 * cannot be parsed or routed is quarantined with an exception: kept, owned, never dropped.
 */
import { isLedgerlinkError, LedgerlinkError } from '../canonical/errors.js';
import { parseStrictJson, stringifyJson } from '../canonical/strict-json.js';
import type { Tx } from '../store/port.js';
import type { InboxEventsTable } from '../store/schema.js';
import { appendAudit } from './audit-log.js';
import type { EngineDeps } from './engine-deps.js';
import { closeOnEventDispatched } from './exceptions/lifecycle.js';
import { runKeyOf } from './keys.js';
import { newId } from './ids.js';
import { enqueueJob } from './jobs.js';
import { quarantineEvent } from './exceptions/quarantine.js';
import { openColumn, sealColumn, type PayloadCodec } from './record-protection.js';
import type { InboundEvent, RunSpec } from './step-api.js';
import { activeTraceparent, inSpan } from '../observability/tracing.js';

interface RoutedRun {
  readonly runId: string;
  readonly runKey: string;
  readonly duplicate: boolean;
}

/** Dispatches up to `limit` received events in one transaction; returns how many it handled. */
export async function dispatchInbox(deps: EngineDeps, limit: number): Promise<number> {
  const { store } = deps;
  return store.writeTransaction(async (tx) => {
    let query = tx
      .selectFrom('inbox_events')
      .selectAll()
      .where('status', '=', 'received')
      .orderBy('received_at')
      .limit(limit);
    if (store.dialect === 'postgres') query = query.forUpdate().skipLocked();
    const events = await query.execute();
    for (const row of events) await dispatchOne(deps, tx, row);
    return events.length;
  });
}

async function dispatchOne(deps: EngineDeps, tx: Tx, row: InboxEventsTable): Promise<void> {
  const now = deps.now();
  let routed: RoutedRun[];
  try {
    const event = toInboundEvent(openInboxRow(deps.protection.codec, row));
    const specs = deps.flows
      .all()
      .map((flow) => ({ flow, spec: flow.route(event) }))
      .filter((r): r is { flow: (typeof r)['flow']; spec: RunSpec } => r.spec !== null);
    if (specs.length === 0) {
      throw new LedgerlinkError(
        'LL_ERR_UNKNOWN_FLOW',
        `No enabled flow handles ${row.event_type} events from ${row.system}`,
      );
    }
    routed = [];
    for (const { flow, spec } of specs) {
      routed.push(await createRun(deps, tx, row, flow.name, flow.firstStep, flow.maxAttempts, spec, now));
    }
  } catch (error) {
    // No master key at all is the hub's configuration, not the event's fault: leave the event received.
    if (!isLedgerlinkError(error) || error.code === 'LL_ERR_MASTER_KEY_MISSING') throw error;
    await quarantineEvent(deps, tx, row, error, now);
    return;
  }
  await tx
    .updateTable('inbox_events')
    .set({ status: 'dispatched', dispatched_at: now, note: JSON.stringify({ runs: routed }) })
    .where('id', '=', row.id)
    .execute();
  await closeOnEventDispatched(deps, tx, row.id, row.correlation_id, now);
}

/** The row with its payload and headers opened (they may be sealed at rest). */
export function openInboxRow(codec: PayloadCodec, row: InboxEventsTable): InboxEventsTable {
  return {
    ...row,
    payload: openColumn(codec, 'inbox_events', 'payload', row.id, row.payload),
    headers: openColumn(codec, 'inbox_events', 'headers', row.id, row.headers),
  };
}

/** An opened inbox row (see openInboxRow) as flows see it. */
export function toInboundEvent(row: InboxEventsTable): InboundEvent {
  return {
    id: row.id,
    system: row.system,
    eventType: row.event_type,
    correlationId: row.correlation_id,
    receivedAt: Number(row.received_at),
    payload: parseStrictJson(row.payload),
    headers: JSON.parse(row.headers) as Record<string, string>,
  };
}

async function createRun(
  deps: EngineDeps,
  tx: Tx,
  row: InboxEventsTable,
  flow: string,
  firstStep: string,
  maxAttempts: number | undefined,
  spec: RunSpec,
  now: number,
): Promise<RoutedRun> {
  if (spec.documentId === '' || spec.version === '') {
    throw new LedgerlinkError(
      'LL_ERR_RUN_KEY_INVALID',
      `Flow ${flow} found no document id or version in event ${row.id}`,
    );
  }
  const runKey = runKeyOf(flow, row.system, spec.documentId, spec.version);
  const runId = newId('run', now);
  const attributes = {
    'ledgerlink.flow': flow,
    'ledgerlink.system': row.system,
    'ledgerlink.run.id': runId,
    'ledgerlink.run.key': runKey,
    'ledgerlink.document.id': spec.documentId,
    'ledgerlink.document.version': spec.version,
    'ledgerlink.event.id': row.id,
    'ledgerlink.correlation_id': row.correlation_id,
  };
  // The run's span: a child of the span that received the event; every step span of the run is its child.
  return inSpan(`run ${flow}`, { parent: row.trace_context, attributes }, async (span) => {
    const routed = await insertRun(deps, tx, row, { flow, firstStep, maxAttempts, spec, now, runId, runKey });
    if (routed.duplicate) span.setAttributes({ 'ledgerlink.run.duplicate': true, 'ledgerlink.run.id': routed.runId });
    return routed;
  });
}

interface NewRun {
  readonly flow: string;
  readonly firstStep: string;
  readonly maxAttempts: number | undefined;
  readonly spec: RunSpec;
  readonly now: number;
  readonly runId: string;
  readonly runKey: string;
}

async function insertRun(deps: EngineDeps, tx: Tx, row: InboxEventsTable, run: NewRun): Promise<RoutedRun> {
  const { flow, firstStep, maxAttempts, spec, now, runId, runKey } = run;
  const inserted = await tx
    .insertInto('runs')
    .values({
      id: runId,
      run_key: runKey,
      flow,
      system: row.system,
      document_id: spec.documentId,
      version: spec.version,
      status: 'pending',
      correlation_id: row.correlation_id,
      mapping_version: null,
      event_id: row.id,
      input: sealColumn(
        deps.protection.codec,
        'runs',
        'input',
        runId,
        deps.protection.masker.maskJsonText(stringifyJson(spec.input)),
      ),
      state: sealColumn(deps.protection.codec, 'runs', 'state', runId, '{}'),
      current_step: firstStep,
      created_at: now,
      updated_at: now,
      finished_at: null,
      trace_context: activeTraceparent() ?? row.trace_context,
    })
    .onConflict((oc) => oc.column('run_key').doNothing())
    .executeTakeFirst();
  if (inserted.numInsertedOrUpdatedRows !== 1n) {
    const existing = await tx.selectFrom('runs').select('id').where('run_key', '=', runKey).executeTakeFirstOrThrow();
    return { runId: existing.id, runKey, duplicate: true };
  }
  await enqueueJob(deps.store, tx, {
    runId,
    step: firstStep,
    maxAttempts: deps.owners.maxAttempts(flow, maxAttempts ?? deps.settings.maxAttempts),
    runAt: now,
    now,
  });
  await appendAudit(tx, deps.store.dialect, {
    actor: 'engine',
    action: 'run.created',
    subject: runId,
    correlationId: row.correlation_id,
    data: { runKey, eventId: row.id },
    at: now,
  });
  return { runId, runKey, duplicate: false };
}
