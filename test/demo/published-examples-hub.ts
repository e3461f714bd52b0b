/**
 * The demo estate holding every published FIS example document READY in the expense platform, as
 * published (their own ids, amounts and dates): the four simulators seeded as the demo seeds them,
 * the hub with the demo configuration (ledgerlink.demo.yaml's flows, periods, budgets and processes)
 * and the demo mapping set, on a fresh store. What happened to each example is read back from the
 * hub's runs, the ERP's documents and the expense platform's confirmations.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Decimal } from 'decimal.js';
import { parse } from 'yaml';
import { str, at } from '../../src/connectors/concur/translate.js';
import type { SimDocument } from '../helpers/estate.js';
import { documentsOf, type PublishedExample } from '../helpers/published-fis-examples.js';
import type { StoreKind } from '../helpers/stores.js';
import {
  lineSummary,
  startExpenseBench,
  type ExpenseBench,
  type ExpenseFlow,
  type RunDetail,
} from '../flows/expense-hub.js';

/** One published example: its file, FIS document id, document type, employee and status as published. */
export interface ExampleDocument {
  readonly file: string;
  readonly documentId: string;
  readonly docType: 'expense' | 'cashadvance';
  readonly employeeId: string;
  /** `docStatus` as published (READY when not given). */
  readonly status: string;
  /** `erpSystemId` as published: the ERP system that took the document, if any. */
  readonly erpSystemId: string | null;
}

export function exampleDocuments(files: readonly PublishedExample[]): ExampleDocument[] {
  return files.flatMap((file) =>
    documentsOf(file.text).map((item) => {
      const docType = str(at(item, 'docType')) === 'cashadvance' ? 'cashadvance' : 'expense';
      const employee =
        docType === 'cashadvance' ? at(at(item, 'document'), 'employeeData') : at(at(item, 'document'), 'employee');
      return {
        file: file.name,
        documentId: str(at(item, 'id')) ?? '',
        docType,
        employeeId: str(at(employee, 'employeeId')) ?? '',
        status: str(at(item, 'docStatus')) ?? 'READY',
        erpSystemId: str(at(item, 'erpSystemId')) || null,
      } satisfies ExampleDocument;
    }),
  );
}

/** The demo configuration's sections the hub runs with (its systems are the estate's). */
function demoConfiguration(): Record<string, unknown> {
  const file = parse(readFileSync('ledgerlink.demo.yaml', 'utf8')) as Record<string, unknown>;
  const { flows, periods, budgets, processes, ownership, alerts } = file;
  return { flows, periods, budgets, processes, ownership, alerts, mappings: { directory: resolve('mappings') } };
}

export interface ExamplesHub {
  readonly bench: ExpenseBench;
  /** Polls the READY queues of both flows and waits until no run is left to move; answers those still moving. */
  runUntilIdle(expected: readonly ExampleDocument[]): Promise<string[]>;
  close(): Promise<void>;
}

/** The estate with the example files as the expense platform's READY documents, and the hub on it. */
export async function startExamplesHub(
  kind: StoreKind,
  files: readonly PublishedExample[],
  /** Systems to add to the estate's (another ERP holding some legal entities). */
  extraSystems: Record<string, unknown> = {},
): Promise<ExamplesHub> {
  const dir = mkdtempSync(join(tmpdir(), 'll-fis-examples-'));
  files.forEach((file, i) => writeFileSync(join(dir, `${String(i).padStart(2, '0')}-${file.name}`), file.text));
  const before = process.env['LEDGERLINK_CONCUR_FIXTURES'];
  process.env['LEDGERLINK_CONCUR_FIXTURES'] = dir;
  let bench: ExpenseBench;
  try {
    bench = await startExpenseBench(kind, 'fis-examples', { ...demoConfiguration(), systems: extraSystems });
  } finally {
    if (before === undefined) delete process.env['LEDGERLINK_CONCUR_FIXTURES'];
    else process.env['LEDGERLINK_CONCUR_FIXTURES'] = before;
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    bench,
    async runUntilIdle(expected) {
      await bench.hub.app.engine.pollNow('expense-posting:ready');
      await bench.hub.app.engine.pollNow('cash-advance-posting:ready');
      let moving: string[] = [];
      const deadline = Date.now() + IDLE_TIMEOUT_MS;
      do {
        moving = [];
        for (const doc of expected) {
          const run = await bench.runOf(doc.documentId, flowOf(doc));
          if (run === undefined || !SETTLED.has(run.status)) moving.push(`${doc.file}: ${run?.status ?? 'no run'}`);
        }
        const others = await bench.hub.app.store.db
          .selectFrom('runs')
          .select(['flow', 'document_id', 'status'])
          .where('status', 'in', ['pending', 'running', 'waiting'])
          .execute();
        moving.push(...others.map((r) => `${r.flow} ${r.document_id}: ${r.status}`));
        if (moving.length === 0) return [];
        await new Promise((done) => setTimeout(done, 200));
      } while (Date.now() < deadline);
      return [...new Set(moving)];
    },
    close: () => bench.close(),
  };
}

const IDLE_TIMEOUT_MS = 60_000;
const SETTLED: ReadonlySet<string> = new Set(['succeeded', 'exception', 'resolved', 'ignored']);

export function flowOf(doc: ExampleDocument): ExpenseFlow {
  return doc.docType === 'cashadvance' ? 'cash-advance-posting' : 'expense-posting';
}

/** Debits minus credits per currency of the documents ('0.00' each when balanced). */
export function balancePerCurrency(documents: readonly SimDocument[]): Record<string, string> {
  const net = new Map<string, Decimal>();
  for (const document of documents) {
    const currency = document.currency ?? '?';
    for (const line of document.lines) {
      const signed = line.side === 'D' ? new Decimal(line.amount) : new Decimal(line.amount).negated();
      net.set(currency, (net.get(currency) ?? new Decimal(0)).plus(signed));
    }
  }
  return Object.fromEntries([...net].map(([currency, value]) => [currency, value.toFixed(2)]));
}

/** One line saying what happened to an example: its run, the ERP documents, or the open exception. */
export function outcomeLine(doc: ExampleDocument, run: RunDetail | undefined, erp: readonly SimDocument[]): string {
  const what = `${doc.file} (${doc.docType}, employee ${doc.employeeId})`;
  if (run === undefined) return `${what}: no run`;
  const open = run.exceptions.filter((e) => e.status === 'open');
  if (run.status !== 'succeeded' || open.length > 0)
    return `${what}: ${run.status}${open.map((e) => ` [${e.class}/${e.code}] ${e.message}`).join('')}`;
  const posted = erp.map((d) => `${d.kind} ${d.id} ${d.currency ?? ''} [${lineSummary(d).join('; ')}]`).join(', ');
  return `${what}: posted ${posted === '' ? 'nothing' : posted}`;
}
