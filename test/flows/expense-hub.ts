/**
 * The expense posting flow's test bench: the four simulators and the whole hub (api + worker) on a
 * fresh store, the flow configured for the demo estate, the demo mapping set, and helpers to read
 * runs, their ERP documents and the expense platform's posting confirmations.
 */
import { resolve } from 'node:path';
import { Decimal } from 'decimal.js';
import { readFileSync } from 'node:fs';
import { startApp, type AppFixture } from '../api/app-fixture.js';
import { startEstate, type Estate, type SimDocument } from '../helpers/estate.js';
import type { StoreKind } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';

export const FIXTURE = {
  companyPaid: '2aaff6d927a84156b5b2de638f163eb3',
  vat: 'f7a675d035bc44419cc0df2389c5b10c',
  split: 'dc84333c5490443cb61c769f3262e2d4',
  card: 'a80d90d2c3114d468f9ffed0963e05d5',
} as const;

export const POLLER = 'expense-posting:ready';

/** The flows the bench runs (documents default to expense posting's). */
export type ExpenseFlow = 'expense-posting' | 'cash-advance-posting';

export interface ExpenseBench {
  readonly estate: Estate;
  readonly hub: AppFixture;
  runOf(documentId: string, flow?: ExpenseFlow): Promise<RunDetail | undefined>;
  waitStatus(documentId: string, status: string, flow?: ExpenseFlow): Promise<RunDetail>;
  erpDocuments(documentId: string, flow?: ExpenseFlow): Promise<SimDocument[]>;
  confirmations(documentId: string): Promise<SimDocument[]>;
  close(): Promise<void>;
}

export interface RunDetail {
  readonly id: string;
  readonly status: string;
  readonly mappingVersion: string | null;
  readonly state: Record<string, unknown>;
  readonly effects: readonly {
    system: string;
    idempotencyKey: string;
    step: string;
    status: string;
    remoteId: string | null;
  }[];
  readonly exceptions: readonly {
    id: string;
    class: string;
    owner: string;
    code: string;
    message: string;
    status: string;
  }[];
}

export async function startExpenseBench(
  kind: StoreKind,
  label: string,
  config: Record<string, unknown> = {},
): Promise<ExpenseBench> {
  const estate = await startEstate();
  let hub: AppFixture;
  try {
    const { systems: extraSystems, ...rest } = config as { systems?: Record<string, unknown> };
    hub = await startApp(kind, label, {
      config: {
        // Systems the caller adds (another ERP) join the estate's.
        systems: { ...estate.systems, ...extraSystems },
        mappings: { directory: resolve('mappings') },
        flows: {
          expensePosting: {
            trigger: { webhook: true, pollIntervalMs: 3_600_000 },
            cardVendors: { '1010': '17500001', '1710': '17500001', '2910': '17500001' },
            companyPaidClearingAccount: '19100000',
            cashAdvanceClearingAccount: '13600000',
            inputTaxAccount: '15410000',
          },
        },
        ...rest,
      },
    });
  } catch (error) {
    await estate.stop();
    throw error;
  }
  const runOf = async (documentId: string, flow: ExpenseFlow = 'expense-posting'): Promise<RunDetail | undefined> => {
    const [summary] = (await hub.app.engine.listRuns({ flow, documentId })).runs;
    return summary === undefined ? undefined : ((await hub.app.engine.getRun(summary.id)) as unknown as RunDetail);
  };
  return {
    estate,
    hub,
    runOf,
    async waitStatus(documentId, status, flow) {
      let last: RunDetail | undefined;
      try {
        return await waitFor(
          `run of ${documentId} ${status}`,
          async () => {
            last = await runOf(documentId, flow);
            return last?.status === status ? last : undefined;
          },
          30_000,
        );
      } catch (error) {
        throw new Error(
          `${(error as Error).message}; last seen: ${JSON.stringify({ status: last?.status, exceptions: last?.exceptions, steps: (last as { steps?: unknown } | undefined)?.steps })}`,
        );
      }
    },
    async erpDocuments(documentId, flow) {
      const run = await runOf(documentId, flow);
      const keys = (run?.effects ?? [])
        .filter((e) => e.system === 'erp' && e.step === 'post')
        .map((e) => e.idempotencyKey);
      return (await Promise.all(keys.map((key) => estate.documents('erp', key)))).flat();
    },
    confirmations: async (documentId) =>
      (await estate.documents('expense', documentId)).filter((d) => d.kind === 'posting_confirmation'),
    async close() {
      await hub.close();
      await estate.stop();
    },
  };
}

/** The lines of a document as `account side amount [costCenter] [taxCode] [partner]` strings (amounts to 2 decimals), sorted. */
export function lineSummary(document: SimDocument): string[] {
  return document.lines
    .map((l) =>
      [
        l.account,
        l.side,
        new Decimal(l.amount).toFixed(2),
        l.costCenter ?? '-',
        l.taxCode ?? '-',
        l.partner ?? '-',
      ].join(' '),
    )
    .sort();
}

/** Posts an `expense_report.approved` webhook for the document. */
export async function deliverWebhook(bench: ExpenseBench, documentId: string, deliveryId: string): Promise<number> {
  const response = await fetch(`${bench.hub.url}/v1/events/expense`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': deliveryId, ...bench.hub.auth },
    body: JSON.stringify({ type: 'expense_report.approved', documentId, version: '1' }),
  });
  await response.text();
  return response.status;
}

/** The 2.1 sample report as a new FIS document: another id, and text replacements applied. */
export function variantOfVatReport(id: string, replacements: readonly (readonly [string, string])[] = []): string {
  let text = readFileSync(
    resolve('src/connectors/concur/simulator/fis-samples/F071FADEA6B142DD884A-Example-2.1.json'),
    'utf8',
  );
  text = text.replace('"f7a675d035bc44419cc0df2389c5b10c"', JSON.stringify(id));
  for (const [from, to] of replacements) text = text.replace(from, to);
  return text;
}

/**
 * Retries a run held by an exception from its failed step, as an operator's retry does: the run
 * pending again, the exception closed as retried, a new job for the step.
 */
/** Retries the run's open exception the way an operator does: `POST /v1/exceptions/:id/retry`. */
export async function retryRun(bench: ExpenseBench, runId: string): Promise<void> {
  const open = await bench.hub.app.store.db
    .selectFrom('exceptions')
    .select('id')
    .where('run_id', '=', runId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  const response = await fetch(`${bench.hub.url}/v1/exceptions/${open.id}/retry`, {
    method: 'POST',
    headers: { ...bench.hub.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'period reopened' }),
  });
  if (response.status !== 200) throw new Error(`retry answered ${response.status}: ${await response.text()}`);
}
