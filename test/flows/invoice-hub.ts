/**
 * The hub with invoice posting and payment status on, against the four simulators, for the invoice
 * and payment tests: Coupa records to seed (supplier, purchase order with receipts, approved
 * invoice), the runs, effects and exceptions of a document, and the simulators' documents.
 */
import { resolve } from 'node:path';
import { request, startApp, type AppFixture } from '../api/app-fixture.js';
import { startEstate, type Estate } from '../helpers/estate.js';
import type { StoreKind } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';

export const INVOICE_POLL = 'invoice-posting:approved-invoices';
export const PAYMENT_POLL = 'payment-status:cleared-items';
export const MAPPINGS_DIRECTORY = resolve(import.meta.dirname, '../../mappings');

export interface RunRow {
  id: string;
  status: string;
  state: unknown;
  entity: string | null;
  amount: string | null;
  currency: string | null;
  approved_at: number | null;
  posted_at: number | null;
  paid_at: number | null;
  mapping_version: string | null;
}

export interface ExceptionRow {
  class: string;
  owner: string;
  code: string;
  message: string;
  details: string;
}

export interface InvoiceHub {
  readonly estate: Estate;
  readonly f: AppFixture;
  runsOf(flow: string, documentId: string): Promise<RunRow[]>;
  settled(flow: string, documentId: string, status: string): Promise<RunRow[]>;
  exceptionsOf(runId: string): Promise<ExceptionRow[]>;
  effectsOf(
    runId: string,
  ): Promise<{ system: string; step: string; idempotency_key: string; remote_id: string | null; status: string }[]>;
  /** Posts an `invoice.approved` webhook for the invoice version. */
  approved(invoiceId: number, updatedAt: string, deliveryId: string): Promise<void>;
  close(): Promise<void>;
}

export const stateOf = (run: RunRow): Record<string, unknown> =>
  (typeof run.state === 'string' ? JSON.parse(run.state) : run.state) as Record<string, unknown>;

export function supplier(id: number, name: string, erpNumber: string | null): Record<string, unknown> {
  return {
    id,
    name,
    'display-name': name,
    number: erpNumber,
    status: 'active',
    'tax-id': `DE${String(200000000 + id)}`,
    'primary-address': { street1: 'Werkstrasse 3', city: 'Mannheim', 'postal-code': '68159', country: { code: 'DE' } },
  };
}

const account = (entity: string, gl: string, cc: string) => ({
  id: Number(`${entity}${gl}`),
  code: `${entity}-${gl}-${cc}`,
  'segment-1': entity,
  'segment-2': gl,
  'segment-3': cc,
});

/** A purchase order; each line `[quantity, price, receiptRequired]`, ids from `id * 10 + line`. */
export function purchaseOrder(
  id: number,
  number: string,
  supplierId: number,
  lines: readonly (readonly [string, string, boolean])[],
): Record<string, unknown> {
  return {
    id,
    'po-number': number,
    status: 'issued',
    version: 1,
    exported: true,
    supplier: { id: supplierId },
    currency: { code: 'EUR' },
    'order-lines': lines.map(([quantity, price, receipt], i) => ({
      id: id * 10 + i + 1,
      'line-num': i + 1,
      description: `Order line ${i + 1}`,
      quantity,
      price,
      total: (Number(quantity) * Number(price)).toFixed(2),
      uom: { code: 'EA' },
      account: account('1010', '6000', 'CC100'),
      'receipt-required': receipt,
    })),
  };
}

export function receipt(id: number, orderId: number, line: number, quantity: string): Record<string, unknown> {
  return {
    id,
    type: 'ReceivingQuantityConsumption',
    status: 'created',
    quantity,
    'order-line': { id: orderId * 10 + line, 'line-num': line, 'order-header-id': orderId },
    'transaction-date': '2025-05-20T09:00:00Z',
  };
}

export interface InvoiceLineSeed {
  readonly quantity: string;
  readonly price: string;
  readonly total: string;
  /** `[po number, po id, line number]` for a PO line. */
  readonly po?: readonly [string, number, number];
  readonly gl?: string;
  readonly cc?: string;
}

export function invoice(
  id: number,
  number: string,
  supplierId: number,
  lines: readonly InvoiceLineSeed[],
  tax: string,
  gross: string,
  updatedAt: string,
): Record<string, unknown> {
  return {
    id,
    'invoice-number': number,
    'invoice-date': '2025-05-28',
    status: 'approved',
    exported: false,
    supplier: { id: supplierId },
    currency: { code: 'EUR' },
    'invoice-lines': lines.map((l, i) => ({
      id: id * 10 + i + 1,
      'line-num': i + 1,
      description: l.po === undefined ? `Freight ${number}` : `Goods ${number}`,
      quantity: l.quantity,
      price: l.price,
      total: l.total,
      uom: { code: 'EA' },
      account: account('1010', l.gl ?? '6000', l.cc ?? 'CC100'),
      ...(l.po === undefined ? {} : { 'po-number': l.po[0], 'order-line-id': l.po[1] * 10 + l.po[2] }),
    })),
    'tax-amount': tax,
    'gross-total': gross,
    'image-scan-url': `https://files.example.com/invoices/${number}.pdf`,
    approvals: [
      {
        id: id * 10 + 1,
        position: 1,
        status: 'approved',
        'approval-date': '2025-05-29T08:00:00Z',
        approver: { id: 61, login: 'buyer1', fullname: 'Ben Buyer' },
      },
      {
        id: id * 10 + 2,
        position: 2,
        status: 'approved',
        'approval-date': '2025-05-30T16:30:00Z',
        approver: { id: 62, login: 'cfo', fullname: 'Carla Finance' },
      },
    ],
    'created-at': '2025-05-28T10:00:00Z',
    'updated-at': updatedAt,
  };
}

export async function startInvoiceHub(
  kind: StoreKind,
  label: string,
  flows: Record<string, unknown> = {},
  /** Systems to add to the estate's (another ERP holding some legal entities). */
  extraSystems: Record<string, unknown> = {},
): Promise<InvoiceHub> {
  const estate = await startEstate();
  const f = await startApp(kind, label, {
    config: {
      systems: { ...estate.systems, ...extraSystems },
      mappings: { directory: MAPPINGS_DIRECTORY },
      flows: {
        // Polls run when a test asks (pollNow); the interval keeps them out of the way otherwise.
        invoicePosting: {
          trigger: { webhook: true, pollIntervalMs: 3_600_000 },
          pollFrom: '2025-05-01T00:00:00Z',
          priceTolerancePercent: '2',
          quantityTolerancePercent: '0',
          threeWayMatch: true,
        },
        paymentStatus: { trigger: { pollIntervalMs: 3_600_000 } },
        ...flows,
      },
    },
  });
  const db = f.app.store.db;
  const runsOf = async (flow: string, documentId: string): Promise<RunRow[]> =>
    (await db
      .selectFrom('runs')
      .select([
        'id',
        'status',
        'state',
        'entity',
        'amount',
        'currency',
        'approved_at',
        'posted_at',
        'paid_at',
        'mapping_version',
      ])
      .where('flow', '=', flow)
      .where('document_id', '=', documentId)
      .execute()) as RunRow[];
  return {
    estate,
    f,
    runsOf,
    settled: (flow, documentId, status) =>
      waitFor(
        `${flow} run of ${documentId} ${status}`,
        async () => {
          const runs = await runsOf(flow, documentId);
          return runs.length > 0 && runs.every((r) => r.status === status) ? runs : undefined;
        },
        30_000,
      ),
    exceptionsOf: async (runId) =>
      (await db
        .selectFrom('exceptions')
        .select(['class', 'owner', 'code', 'message', 'details'])
        .where('run_id', '=', runId)
        .execute()) as ExceptionRow[],
    effectsOf: async (runId) =>
      db
        .selectFrom('effects')
        .select(['system', 'step', 'idempotency_key', 'remote_id', 'status'])
        .where('run_id', '=', runId)
        .execute(),
    approved: async (invoiceId, updatedAt, deliveryId) => {
      const answer = await request(`${f.url}/v1/events/procurement`, {
        method: 'POST',
        headers: { ...f.auth, 'content-type': 'application/json', 'webhook-id': deliveryId },
        body: JSON.stringify({ type: 'invoice.approved', invoice: { id: invoiceId, 'updated-at': updatedAt } }),
      });
      if (answer.status !== 202)
        throw new Error(`invoice.approved for ${invoiceId}: HTTP ${answer.status} ${answer.text}`);
    },
    close: async () => {
      await f.close();
      await estate.stop();
    },
  };
}
