/**
 * Validity-aware master data: the documents in flight (taken by the hub and not yet posted, or
 * waiting on an exception, or sent back to their owner in the source) that reference a cost center,
 * project, GL account or vendor, with who owns them. Lists one value's documents, or every value the
 * ERP has blocked, closed or let expire, or whose validity ends within a number of days, that still
 * has documents in flight: finance acts before the posting fails.
 *
 * The references come from the run's state as the posting flows keep it: the mapped lines
 * (`lines[].costCenter | project | glAccount | clearingAccount | taxes[].account`), the employee
 * (`employee.costCenter`, `employee.vendorId`) and the supplier's vendor (`fetched.vendorId`). A run
 * not yet mapped references only what its earlier steps learned.
 */
import type { Store } from '../store/port.js';

export const POSTING_FLOWS = ['expense-posting', 'cash-advance-posting', 'invoice-posting'] as const;
const IN_FLIGHT_STATUSES = ['pending', 'running', 'waiting', 'exception'] as const;

export type ReferenceKind = 'cost_center' | 'project' | 'gl_account' | 'vendor';

export interface InFlightDocument {
  readonly runId: string;
  readonly flow: string;
  readonly system: string;
  readonly documentId: string;
  readonly version: string;
  readonly status: string;
  readonly step: string | null;
  readonly entity: string | null;
  readonly amount: { readonly amount: string; readonly currency: string } | null;
  /** Who has it now: the open exception's owner team, and the person the document belongs to. */
  readonly owner: { readonly team: string | null; readonly person: string | null };
  readonly exception: { readonly code: string; readonly message: string } | null;
  /** Where the document names the value (`lines/0/costCenter`). */
  readonly paths: readonly string[];
}

export interface Reference {
  readonly kind: ReferenceKind;
  readonly code: string;
  readonly path: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Every value the run's state names, with where. */
export function referencesOf(state: Readonly<Record<string, unknown>>): Reference[] {
  const out: Reference[] = [];
  const add = (kind: ReferenceKind, value: unknown, path: string): void => {
    const code = text(value);
    if (code !== undefined) out.push({ kind, code, path });
  };
  const lines = Array.isArray(state['lines']) ? (state['lines'] as Record<string, unknown>[]) : [];
  lines.forEach((line, i) => {
    add('cost_center', line['costCenter'], `lines/${i}/costCenter`);
    add('project', line['project'], `lines/${i}/project`);
    add('gl_account', line['glAccount'], `lines/${i}/glAccount`);
    add('gl_account', line['clearingAccount'], `lines/${i}/clearingAccount`);
    const taxes = Array.isArray(line['taxes']) ? (line['taxes'] as Record<string, unknown>[]) : [];
    taxes.forEach((tax, t) => add('gl_account', tax['account'], `lines/${i}/taxes/${t}/account`));
  });
  const employee = state['employee'] as Record<string, unknown> | undefined;
  add('cost_center', employee?.['costCenter'], 'employee/costCenter');
  add('vendor', employee?.['vendorId'], 'employee/vendorId');
  add('vendor', employee?.['blockedVendorId'], 'employee/blockedVendorId');
  const fetched = state['fetched'] as Record<string, unknown> | undefined;
  add('vendor', fetched?.['vendorId'], 'fetched/vendorId');
  return out;
}

/** The person a document belongs to: the employee of a report or advance, the supplier of an invoice. */
function personOf(state: Readonly<Record<string, unknown>>): string | null {
  const employee = state['employee'] as { name?: unknown; personnelNumber?: unknown } | undefined;
  if (employee !== undefined)
    return [text(employee.name), text(employee.personnelNumber)].filter((x) => x !== undefined).join(' ') || null;
  const invoice = (state['fetched'] as { invoice?: { supplierName?: unknown; supplierId?: unknown } } | undefined)
    ?.invoice;
  return text(invoice?.supplierName) ?? text(invoice?.supplierId) ?? null;
}

export interface InFlightIndex {
  /** The documents naming the value, in the entity when given (vendors are not per entity). */
  documents(kind: ReferenceKind, code: string, entity?: string): InFlightDocument[];
  readonly size: number;
}

/**
 * Reads the runs of the posting flows that are in flight (at most `limit`, newest first) and indexes
 * the values they name. `stateOf` opens runs' states (the engine's reader, which unseals them), all
 * the runs read in one call.
 */
export async function inFlightIndex(
  store: Store,
  statesOf: (runIds: readonly string[]) => Promise<ReadonlyMap<string, Readonly<Record<string, unknown>>>>,
  limit = 2_000,
): Promise<InFlightIndex> {
  const runs = await store.db
    .selectFrom('runs')
    .select([
      'id',
      'flow',
      'system',
      'document_id',
      'version',
      'status',
      'current_step',
      'entity',
      'amount',
      'currency',
    ])
    .where('flow', 'in', [...POSTING_FLOWS])
    .where('status', 'in', [...IN_FLIGHT_STATUSES])
    .where('posted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  const open =
    runs.length === 0
      ? []
      : await store.db
          .selectFrom('exceptions')
          .select(['run_id', 'owner', 'code', 'message'])
          .where('status', '=', 'open')
          .where(
            'run_id',
            'in',
            runs.map((r) => r.id),
          )
          .execute();
  const exceptionOf = new Map(open.map((x) => [x.run_id, x]));
  const states = await statesOf(runs.map((r) => r.id));
  const byKey = new Map<string, { document: Omit<InFlightDocument, 'paths'>; paths: string[] }[]>();
  for (const run of runs) {
    const state = states.get(run.id) ?? {};
    const exception = exceptionOf.get(run.id);
    const document: Omit<InFlightDocument, 'paths'> = {
      runId: run.id,
      flow: run.flow,
      system: run.system,
      documentId: run.document_id,
      version: run.version,
      status: run.status,
      step: run.current_step,
      entity: run.entity,
      amount: run.amount === null || run.currency === null ? null : { amount: run.amount, currency: run.currency },
      owner: { team: exception?.owner ?? null, person: personOf(state) },
      exception: exception === undefined ? null : { code: exception.code, message: exception.message },
    };
    const perValue = new Map<string, string[]>();
    for (const ref of referencesOf(state)) {
      const key = `${ref.kind}\u0000${ref.code}`;
      perValue.set(key, [...(perValue.get(key) ?? []), ref.path]);
    }
    for (const [key, paths] of perValue) byKey.set(key, [...(byKey.get(key) ?? []), { document, paths }]);
  }
  return {
    size: runs.length,
    documents(kind, code, entity) {
      return (byKey.get(`${kind}\u0000${code}`) ?? [])
        .filter((d) => entity === undefined || kind === 'vendor' || d.document.entity === entity)
        .map((d) => ({ ...d.document, paths: d.paths }));
    },
  };
}
