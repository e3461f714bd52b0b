/** Runs, effects and exceptions written straight into the store, for reconciliation, KPI and alert tests. */
import type { Store } from '../../src/store/port.js';

let counter = 0;
const next = (prefix: string): string =>
  `${prefix}_${String(++counter).padStart(6, '0')}_${Math.random().toString(36).slice(2, 8)}`;

export interface RunRow {
  readonly flow?: string;
  readonly system?: string;
  readonly documentId: string;
  readonly version?: string;
  readonly status?: string;
  readonly entity?: string | null;
  readonly amount?: string | null;
  readonly currency?: string | null;
  readonly approvedAt?: number | null;
  readonly postedAt?: number | null;
  readonly paidAt?: number | null;
  readonly createdAt?: number;
  /** What the flow kept (the run's state), `{}` when not given. */
  readonly state?: Readonly<Record<string, unknown>>;
}

export async function insertRun(store: Store, r: RunRow): Promise<string> {
  const id = next('run');
  const flow = r.flow ?? 'expense-posting';
  const system = r.system ?? 'expense';
  const version = r.version ?? '1';
  const createdAt = r.createdAt ?? r.approvedAt ?? Date.UTC(2025, 2, 1);
  await store.writeTransaction(async (tx) => {
    await tx
      .insertInto('runs')
      .values({
        id,
        run_key: `${flow}:${system}:${r.documentId}:${version}`,
        flow,
        system,
        document_id: r.documentId,
        version,
        status: r.status ?? 'succeeded',
        correlation_id: `corr-${id}`,
        mapping_version: null,
        event_id: null,
        input: '{}',
        state: JSON.stringify(r.state ?? {}),
        current_step: null,
        created_at: createdAt,
        updated_at: createdAt,
        finished_at: null,
        entity: r.entity ?? null,
        amount: r.amount ?? null,
        currency: r.currency ?? null,
        approved_at: r.approvedAt ?? null,
        posted_at: r.postedAt ?? null,
        paid_at: r.paidAt ?? null,
      })
      .execute();
  });
  return id;
}

export async function insertEffect(
  store: Store,
  runId: string,
  system: string,
  remoteId: string,
  status = 'confirmed',
): Promise<void> {
  const id = next('eff');
  await store.writeTransaction(async (tx) => {
    await tx
      .insertInto('effects')
      .values({
        id,
        system,
        idempotency_key: `LL${id.slice(-14).toUpperCase()}`,
        run_id: runId,
        step: 'post',
        status,
        remote_id: status === 'confirmed' ? remoteId : null,
        attempts: 1,
        result: null,
        created_at: 1,
        updated_at: 1,
        confirmed_at: status === 'confirmed' ? 1 : null,
      })
      .execute();
  });
}

export interface ExceptionRow {
  readonly class: string;
  readonly owner: string;
  readonly process?: string | null;
  readonly entity?: string | null;
  readonly status?: string;
  readonly createdAt: number;
  readonly message?: string;
}

export async function insertException(store: Store, e: ExceptionRow): Promise<string> {
  const id = next('exc');
  await store.writeTransaction(async (tx) => {
    await tx
      .insertInto('exceptions')
      .values({
        id,
        run_id: null,
        event_id: null,
        job_id: null,
        step: 'post',
        class: e.class,
        owner: e.owner,
        code: 'LL_ERR_VALIDATION',
        message: e.message ?? 'constructed for a test',
        details: '[]',
        status: e.status ?? 'open',
        created_at: e.createdAt,
        updated_at: e.createdAt,
        resolved_at: null,
        resolved_by: null,
        resolution: null,
        process: e.process ?? null,
        entity: e.entity ?? null,
      })
      .execute();
  });
  return id;
}
