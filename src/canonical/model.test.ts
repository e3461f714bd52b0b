import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { assertBalanced } from './journal.js';
import { allocate, money, sum } from './money.js';
import * as model from './model/index.js';

const at = '2024-05-02T09:30:00Z';
const approvals: model.ApprovalEvidence[] = [
  { approverId: 'E-200', approverName: 'Ana Lima', approvedAt: at, step: 'manager', policy: 'expense-default' },
];
const attachments: model.AttachmentRef[] = [
  {
    kind: 'receipt',
    uri: 'https://expense.example.com/receipts/r-1',
    mediaType: 'image/jpeg',
    name: 'hotel.jpg',
    digest: `sha256:${'a'.repeat(64)}`,
  },
];
const eur = (amount: string) => money(amount, 'EUR');
const address: model.Address = { street: 'Hauptstr. 1', postalCode: '10115', city: 'Berlin', country: 'DE' };

const legalEntity: model.LegalEntity = {
  id: 'le-1',
  refs: { erp: '1000' },
  companyCode: '1000',
  name: 'Ledgerlink GmbH',
  country: 'DE',
  currency: 'EUR',
  vatNumber: 'DE123456789',
  active: true,
};
const glAccount: model.GlAccount = {
  id: 'gl-1',
  refs: { erp: '474230' },
  companyCode: '1000',
  number: '474230',
  name: 'Travel: taxi',
  type: 'expense',
  postingAllowed: true,
  requiresCostObject: true,
  blocked: false,
};
const costCenter: model.CostCenter = {
  id: 'cc-1',
  refs: { erp: '4711' },
  companyCode: '1000',
  code: '4711',
  name: 'Sales Berlin',
  validFrom: '2024-01-01',
  validTo: '2099-12-31',
  responsiblePersonId: 'E-200',
  blocked: false,
};
const project: model.Project = {
  id: 'p-1',
  refs: { erp: 'P-100-01' },
  companyCode: '1000',
  projectCode: 'P-100',
  wbsElement: 'P-100-01',
  name: 'Rollout',
  postingAllowed: true,
  status: 'released',
};
const taxCode: model.TaxCode = {
  id: 't-1',
  refs: { erp: 'V1' },
  companyCode: '1000',
  code: 'V1',
  country: 'DE',
  kind: 'input',
  ratePercent: '19',
  deductiblePercent: '100',
};
const period: model.AccountingPeriod = {
  id: 'per-2024-05',
  refs: {},
  companyCode: '1000',
  fiscalYear: 2024,
  period: 5,
  status: 'open',
  from: '2024-05-01',
  to: '2024-05-31',
};
const codingRule: model.CodingRule = {
  id: 'cr-1',
  refs: {},
  companyCode: '1000',
  name: 'Travel needs a cost center',
  effect: 'allow',
  accounts: [{ from: '474000', to: '474999' }],
  costCenters: ['4711', '4712'],
  requireCostCenter: true,
  requireProject: false,
};
const supplier: model.Supplier = {
  id: 'sup-1',
  refs: { procurement: '88', erp: '300001' },
  status: 'active',
  name: 'Acme',
  legalName: 'Acme Supplies GmbH',
  alternateNames: ['ACME Supplies'],
  companyCodes: ['1000'],
  taxNumbers: [{ kind: 'vat', country: 'DE', value: 'DE811907980' }],
  bankAccounts: [
    {
      iban: 'DE89370400440532013000',
      bic: 'COBADEFFXXX',
      country: 'DE',
      holderName: 'Acme Supplies GmbH',
      primary: true,
    },
  ],
  address,
  email: 'ap@acme.example',
  paymentTerms: { code: 'NT30', netDays: 30, discountDays: 10, discountPercent: '2' },
  paymentBlock: { blocked: false },
  currency: 'EUR',
};
const employee: model.Employee = {
  id: 'E-100',
  refs: { directory: 'u-100', expense: 'MATTHIAS.RICHTER' },
  email: 'm.richter@example.com',
  givenName: 'Matthias',
  familyName: 'Richter',
  displayName: 'Matthias Richter',
  companyCode: '1000',
  costCenter: '4711',
  managerId: 'E-200',
  active: true,
};
const purchaseOrder: model.PurchaseOrder = {
  id: 'po-1',
  refs: { procurement: 'PO-4500' },
  number: '4500000001',
  companyCode: '1000',
  supplierId: 'sup-1',
  status: 'issued',
  orderDate: '2024-04-02',
  currency: 'EUR',
  lines: [
    {
      lineNumber: 1,
      description: 'Laptop',
      quantity: '2',
      unitOfMeasure: 'EA',
      unitPrice: eur('1234.56'),
      netAmount: eur('2469.12'),
      glAccount: '650000',
      costCenter: '4711',
      taxCode: 'V1',
      goodsReceiptRequired: true,
    },
  ],
  total: eur('2469.12'),
  approvals,
  attachments: [],
};
const goodsReceipt: model.GoodsReceipt = {
  id: 'gr-1',
  refs: { erp: '5000000001' },
  companyCode: '1000',
  purchaseOrderId: 'po-1',
  receivedAt: at,
  postingDate: '2024-05-02',
  reversal: false,
  lines: [{ lineNumber: 1, purchaseOrderLine: 1, quantity: '2', unitOfMeasure: 'EA' }],
};
const supplierInvoice: model.SupplierInvoice = {
  id: 'si-1',
  refs: { procurement: 'INV-9' },
  companyCode: '1000',
  supplierId: 'sup-1',
  kind: 'invoice',
  invoiceNumber: 'R-2024-117',
  invoiceDate: '2024-05-03',
  currency: 'EUR',
  netAmount: eur('2469.12'),
  taxAmount: eur('469.13'),
  grossAmount: eur('2938.25'),
  purchaseOrderId: 'po-1',
  matchStatus: 'matched',
  lines: [
    {
      lineNumber: 1,
      netAmount: eur('2469.12'),
      taxAmount: eur('469.13'),
      taxCode: 'V1',
      purchaseOrderId: 'po-1',
      purchaseOrderLine: 1,
    },
  ],
  approvals,
  attachments: [
    { kind: 'invoice_image', uri: 'https://procurement.example.com/invoices/9.pdf', mediaType: 'application/pdf' },
  ],
};
const [half1, half2] = allocate(eur('25.00'), ['50', '50']) as [ReturnType<typeof eur>, ReturnType<typeof eur>];
const expenseReport: model.ExpenseReport = {
  id: 'er-1',
  refs: { expense: '2aaff6d927a84156b5b2de638f163eb3' },
  name: 'Customer visit Kingston',
  employeeId: 'E-100',
  companyCode: '1000',
  currency: 'EUR',
  status: 'approved',
  submittedAt: at,
  approvedAt: at,
  entries: [
    {
      id: 'ent-1',
      refs: { expense: 'e1' },
      expenseType: 'BRKFT',
      transactionDate: '2024-04-20',
      amount: eur('25.00'),
      paymentType: 'company_card',
      personal: false,
      cardTransactionId: 'ct-1',
      attachments,
      allocations: [
        { percent: '50', amount: half1, costCenter: '4711' },
        { percent: '50', amount: half2, costCenter: '4712' },
      ],
      taxLines: [
        {
          taxCode: 'V1',
          country: 'DE',
          ratePercent: '19',
          netAmount: eur('21.01'),
          taxAmount: eur('3.99'),
          reclaimableAmount: eur('3.99'),
        },
      ],
    },
  ],
  cardTransactions: [
    {
      id: 'ct-1',
      refs: { expense: 'c1' },
      maskedPan: '411111******1111',
      cardProgram: 'VI',
      billing: 'company',
      statementReference: 'STMT-2024-04-0017',
      merchantName: 'Hotel Adler',
      transactionDate: '2024-04-20',
      billedAmount: eur('25.00'),
      originalAmount: money('27.10', 'USD'),
    },
  ],
  cashAdvances: [{ id: 'ca-1', refs: {}, issuedDate: '2024-04-01', amount: eur('100.00'), appliedAmount: eur('0.00') }],
  total: eur('25.00'),
  reimbursableAmount: eur('0.00'),
  approvals,
  attachments: [],
};
const journalEntry: model.JournalEntry = {
  id: 'je-1',
  refs: { erp: '100000123' },
  companyCode: '1000',
  documentType: 'SA',
  documentDate: '2024-04-20',
  postingDate: '2024-05-02',
  reference: 'er-1/v1',
  source: { kind: 'expense_report', id: 'er-1', version: '1' },
  lines: [
    { account: '474240', side: 'D', amount: half1, costCenter: '4711', taxCode: 'V1' },
    { account: '474240', side: 'D', amount: half2, costCenter: '4712', taxCode: 'V1' },
    { account: '199100', side: 'C', amount: eur('25.00'), partner: 'IBCP', text: 'Card Hotel Adler' },
  ],
  approvals,
  attachments,
};
const apInvoice: model.ApInvoice = {
  id: 'ap-1',
  refs: { erp: '5105600001' },
  companyCode: '1000',
  supplierId: 'sup-1',
  kind: 'invoice',
  reference: 'R-2024-117',
  documentDate: '2024-05-03',
  postingDate: '2024-05-03',
  currency: 'EUR',
  grossAmount: eur('2938.25'),
  taxAmount: eur('469.13'),
  paymentBlocked: false,
  source: { kind: 'supplier_invoice', id: 'si-1' },
  lines: [
    {
      lineNumber: 1,
      glAccount: '650000',
      amount: eur('2469.12'),
      costCenter: '4711',
      taxCode: 'V1',
      purchaseOrderId: 'po-1',
      purchaseOrderLine: 1,
    },
  ],
  taxLines: [{ taxCode: 'V1', baseAmount: eur('2469.12'), taxAmount: eur('469.13') }],
  approvals,
  attachments: [],
};
const payment: model.Payment = {
  id: 'pay-1',
  refs: { erp: 'F110-77' },
  companyCode: '1000',
  payee: { kind: 'supplier', id: 'sup-1' },
  status: 'paid',
  statusAt: at,
  amount: eur('2938.25'),
  method: 'sepa_credit_transfer',
  paymentDate: '2024-05-20',
  reference: 'E2E-77',
  settles: [{ kind: 'ap_invoice', id: 'ap-1', amount: eur('2938.25') }],
};

const samples: Record<string, unknown> = {
  LegalEntity: legalEntity,
  GlAccount: glAccount,
  CostCenter: costCenter,
  Project: project,
  TaxCode: taxCode,
  AccountingPeriod: period,
  CodingRule: codingRule,
  Supplier: supplier,
  Employee: employee,
  PurchaseOrder: purchaseOrder,
  GoodsReceipt: goodsReceipt,
  SupplierInvoice: supplierInvoice,
  ExpenseReport: expenseReport,
  JournalEntry: journalEntry,
  ApInvoice: apInvoice,
  Payment: payment,
  Money: eur('1.00'),
  ApprovalEvidence: approvals[0],
  AttachmentRef: attachments[0],
  Address: address,
};

const schemaById = new Map<string, model.NamedSchema>(model.namedSchemas.map((s) => [s.$id, s]));
const clone = <T>(value: T): T => structuredClone(value);

void describe('canonical schemas', () => {
  void it('name every object of the canonical model once', () => {
    assert.deepEqual(
      model.canonicalSchemas.map((s) => s.$id),
      [
        'LegalEntity',
        'GlAccount',
        'CostCenter',
        'Project',
        'TaxCode',
        'AccountingPeriod',
        'CodingRule',
        'Supplier',
        'Employee',
        'PurchaseOrder',
        'GoodsReceipt',
        'SupplierInvoice',
        'ExpenseReport',
        'JournalEntry',
        'ApInvoice',
        'Payment',
      ],
    );
    assert.equal(schemaById.size, model.namedSchemas.length);
  });

  void it('are plain JSON Schema without nested $id (so one document may embed Money many times)', () => {
    for (const schema of model.namedSchemas) {
      const json = JSON.stringify(schema);
      assert.equal(json.split('"$id"').length - 1, 1, schema.$id);
      assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(structuredClone(schema))));
    }
  });

  for (const [id, sample] of Object.entries(samples)) {
    void it(`accept a sample ${id}`, () => {
      const schema = schemaById.get(id);
      assert.ok(schema, id);
      const errors = [...Value.Errors(schema, sample)];
      assert.deepEqual(errors, []);
      assert.equal(Compile(schema).Check(sample), true);
    });
  }

  void it('carry refs, approvals and attachments on every transaction', () => {
    for (const id of ['PurchaseOrder', 'SupplierInvoice', 'ExpenseReport', 'JournalEntry', 'ApInvoice']) {
      const schema = schemaById.get(id);
      assert.ok(schema, id);
      for (const key of ['refs', 'approvals', 'attachments']) assert.ok(schema.required.includes(key), `${id}.${key}`);
    }
    for (const schema of model.canonicalSchemas) assert.ok(schema.required.includes('refs'), schema.$id);
  });

  void it('journal entry samples satisfy the balance rule and the expense split adds up', () => {
    assert.doesNotThrow(() => assertBalanced(journalEntry));
    assert.deepEqual([half1.amount, half2.amount], ['12.50', '12.50']);
    assert.equal(sum(expenseReport.entries[0]?.allocations.map((a) => a.amount) ?? [], 'EUR').amount, '25.00');
  });
});

void describe('canonical schemas reject bad objects', () => {
  const check = (id: string, value: unknown): boolean => Compile(schemaById.get(id) as TSchema).Check(value);

  void it('reject amounts that are JS numbers, exponent text, grouped digits or bad currencies', () => {
    for (const amount of [25, '2.5e1', '1,234.56', 'NaN', '', ' 25.00', '25.']) {
      assert.equal(check('Money', { amount, currency: 'EUR' }), false, String(amount));
    }
    for (const currency of ['eur', 'EURO', 'E1R', 978])
      assert.equal(check('Money', { amount: '1.00', currency }), false, String(currency));
    const invoice = clone(supplierInvoice) as unknown as { grossAmount: { amount: unknown } };
    invoice.grossAmount.amount = 2938.25;
    assert.equal(check('SupplierInvoice', invoice), false);
  });

  void it('reject unknown properties, missing evidence, bad dates and bad enums', () => {
    assert.equal(check('Supplier', { ...supplier, isAdmin: true }), false);
    const { approvals: _a, ...noApprovals } = purchaseOrder;
    assert.equal(check('PurchaseOrder', noApprovals), false);
    assert.equal(check('AccountingPeriod', { ...period, from: '2024-02-30' }), false);
    assert.equal(check('AccountingPeriod', { ...period, period: 17 }), false);
    assert.equal(check('Supplier', { ...supplier, status: 'deleted' }), false);
    assert.equal(check('Payment', { ...payment, statusAt: '2024-05-20 10:00' }), false);
    assert.equal(check('JournalEntry', { ...journalEntry, lines: [journalEntry.lines[0]] }), false);
    assert.equal(check('ApprovalEvidence', { ...approvals[0], approvedAt: 'yesterday' }), false);
    assert.equal(check('AttachmentRef', { ...attachments[0], kind: 'selfie' }), false);
  });

  void it('reject refs keyed by something that is not a system name, and unmasked card numbers', () => {
    assert.equal(check('LegalEntity', { ...legalEntity, refs: { ERP: '1000' } }), false);
    assert.equal(check('LegalEntity', { ...legalEntity, refs: { erp: 1000 } }), false);
    const report = clone(expenseReport);
    (report.cardTransactions[0] as { maskedPan: string }).maskedPan = '4111111111111111';
    assert.equal(check('ExpenseReport', report), false);
    const card = expenseReport.cardTransactions[0]!;
    const { maskedPan: _pan, ...withoutNumber } = card;
    for (const lastFour of ['41111111', '111', '11a1'])
      assert.equal(
        check('ExpenseReport', { ...expenseReport, cardTransactions: [{ ...withoutNumber, lastFour }] }),
        false,
        lastFour,
      );
    for (const cardAccountId of ['4111111111111111', '4111 1111 1111 1111', '4111-1111-1111-1111', '378282246310005']) {
      assert.equal(
        check('ExpenseReport', { ...expenseReport, cardTransactions: [{ ...withoutNumber, cardAccountId }] }),
        false,
        cardAccountId,
      );
    }
    assert.equal(
      check('ExpenseReport', { ...expenseReport, cardTransactions: [{ ...withoutNumber, billing: 'personal' }] }),
      false,
    );
    assert.equal(
      check('ExpenseReport', {
        ...expenseReport,
        cardTransactions: [{ ...card, billedAmount: { amount: 25, currency: 'EUR' } }],
      }),
      false,
    );
  });

  void it('identify a card transaction without its number: last four, card account, program, billing and statement reference', () => {
    const { maskedPan: _pan, merchantName: _merchant, ...card } = expenseReport.cardTransactions[0]!;
    const concurCard: model.CardTransaction = {
      id: '111112589312803',
      refs: { expense: '111112589312803' },
      cardAccountId: 'D14510F8D27A1E4EA9D3A1355B74F192',
      cardProgram: 'AX',
      billing: 'individual',
      statementReference: '111112589312803',
      transactionDate: '2008-04-17',
      billedAmount: money('56.10', 'USD'),
      originalAmount: money('55.10', 'USD'),
    };
    for (const cardTransactions of [[card], [{ ...card, lastFour: '1111' }], [concurCard]]) {
      const report = { ...expenseReport, cardTransactions };
      assert.deepEqual([...Value.Errors(schemaById.get('ExpenseReport') as TSchema, report)], []);
      assert.equal(check('ExpenseReport', report), true);
    }
    assert.deepEqual([concurCard.billedAmount.amount, concurCard.originalAmount?.amount], ['56.10', '55.10']);
  });
});
