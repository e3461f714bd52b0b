/**
 * The seeded Coupa estate: three legal entities (1010 DE/EUR, 1710 US/USD, 2910 GB/GBP) as the first
 * segment of a chart of accounts, suppliers with tax ids, remit-to addresses and their bank accounts
 * in supplier information (R39 keeps bank fields on SupplierInformationAddress, not on the remit-to
 * address), purchase orders with receipts, approved invoices against them (some taxed per line, some
 * with a shipping charge, some with a line split over two accounts), accounts and lookup values.
 * Records are kept as Coupa answers them in JSON: hyphenated keys, decimals as strings, ids as
 * integers. Amounts are computed in minor units with BigInt, never as floating point.
 */
import { seedInvoice } from './estate-invoices.js';
import { accountRef, decimal, isoAt, type CoupaRecord } from './records.js';
import { supplierInformationFor } from './supplier-information.js';

export { accountRef, decimal, isoAt, type CoupaRecord } from './records.js';

export interface CoupaEstate {
  suppliers: CoupaRecord[];
  supplierInformation: CoupaRecord[];
  invoices: CoupaRecord[];
  purchaseOrders: CoupaRecord[];
  receivingTransactions: CoupaRecord[];
  accounts: CoupaRecord[];
  lookupValues: CoupaRecord[];
  lookups: CoupaRecord[];
  integrationHistoryRecords: CoupaRecord[];
  integrationErrors: CoupaRecord[];
  nextId: number;
}

/** The record lists the API serves. */
export type CollectionKey = Exclude<keyof CoupaEstate, 'nextId' | 'lookups'>;

export const LEGAL_ENTITIES = [
  {
    code: '1010',
    country: 'DE',
    currency: 'EUR',
    city: 'Walldorf',
    street: 'Industriestraße 12',
    postal: '69190',
    taxPrefix: 'DE',
  },
  {
    code: '1710',
    country: 'US',
    currency: 'USD',
    city: 'Palo Alto',
    street: '3410 Hillview Ave',
    postal: '94304',
    taxPrefix: 'US',
  },
  {
    code: '2910',
    country: 'GB',
    currency: 'GBP',
    city: 'London',
    street: '1 Finsbury Sq',
    postal: 'EC2A 1AE',
    taxPrefix: 'GB',
  },
] as const;

const NAMES = [
  'Nordlicht',
  'Keystone',
  'Bluewater',
  'Harbor',
  'Alpine',
  'Summit',
  'Granite',
  'Meridian',
  'Redwood',
  'Lakeside',
  'Ironbridge',
  'Silverline',
];
const TRADES = ['Logistics', 'Office Supply', 'IT Services', 'Facilities', 'Consulting'];
const GL = [
  { gl: '6000', name: 'Office supplies' },
  { gl: '6100', name: 'IT services' },
  { gl: '6200', name: 'Freight' },
  { gl: '6300', name: 'Consulting fees' },
];
const COST_CENTERS = ['CC100', 'CC200', 'CC300'];
const TAX_RATE_PERCENT: Record<string, bigint> = { EUR: 19n, USD: 0n, GBP: 20n };

/** Fixed reference time of the seed, so ids and timestamps are the same on every start. */
export const SEED_EPOCH = Date.parse('2025-01-06T08:00:00Z');

function account(
  entity: (typeof LEGAL_ENTITIES)[number],
  glIndex: number,
  costCenter: string,
  id: number,
): CoupaRecord {
  const gl = GL[glIndex % GL.length]!;
  return {
    id,
    name: `${entity.code} ${gl.name} ${costCenter}`,
    code: `${entity.code}-${gl.gl}-${costCenter}`,
    active: true,
    'account-type': { id: LEGAL_ENTITIES.indexOf(entity) + 1, name: `COA ${entity.code}` },
    'segment-1': entity.code,
    'segment-2': gl.gl,
    'segment-3': costCenter,
    'created-at': isoAt(SEED_EPOCH - 90 * 86_400_000),
    'updated-at': isoAt(SEED_EPOCH - 90 * 86_400_000),
  };
}

/** Builds the estate afresh (reset). */
export function seedEstate(): CoupaEstate {
  let nextId = 1000;
  const id = (): number => nextId++;
  const accounts: CoupaRecord[] = [];
  for (const entity of LEGAL_ENTITIES) {
    for (let g = 0; g < GL.length; g++) for (const cc of COST_CENTERS) accounts.push(account(entity, g, cc, id()));
  }
  const lookups: CoupaRecord[] = [
    { id: 1, name: 'Projects', active: true },
    { id: 2, name: 'Tax Codes', active: true },
  ];
  const lookupValues: CoupaRecord[] = [
    {
      id: id(),
      name: 'Website relaunch',
      'external-ref-num': 'P-1000',
      'external-ref-code': 'P-1000',
      lookup: { id: 1, name: 'Projects' },
      parent: null,
      active: true,
    },
    {
      id: id(),
      name: 'Input tax 19 %',
      'external-ref-num': 'V1',
      'external-ref-code': 'V1',
      lookup: { id: 2, name: 'Tax Codes' },
      parent: null,
      active: true,
    },
  ].map((v) => ({
    ...v,
    'created-at': isoAt(SEED_EPOCH - 60 * 86_400_000),
    'updated-at': isoAt(SEED_EPOCH - 60 * 86_400_000),
  }));

  const suppliers: CoupaRecord[] = [];
  for (let i = 0; i < 64; i++) {
    const entity = LEGAL_ENTITIES[i % LEGAL_ENTITIES.length]!;
    const name = `${NAMES[i % NAMES.length]} ${TRADES[i % TRADES.length]} ${entity.country === 'US' ? 'Inc.' : entity.country === 'GB' ? 'Ltd' : 'GmbH'} ${i + 1}`;
    const status = i % 16 === 7 ? 'draft' : i % 16 === 11 ? 'inactive' : 'active';
    const updated = isoAt(SEED_EPOCH - (64 - i) * 3_600_000);
    suppliers.push({
      id: id(),
      name,
      'display-name': name,
      number: i < 40 && status === 'active' ? `V${(100000 + i).toString()}` : null,
      status,
      'tax-id': `${entity.taxPrefix}${(123456780 + i * 7).toString()}`,
      'payment-term': {
        id: 1 + (i % 2),
        code: i % 2 === 0 ? 'Net 30' : '2/10 Net 45',
        'days-for-net-payment': i % 2 === 0 ? 30 : 45,
        ...(i % 2 === 0 ? {} : { 'days-for-discount-payment': 10, 'discount-rate': '2.0' }),
      },
      'primary-address': {
        street1: entity.street,
        street2: null,
        city: entity.city,
        state: null,
        'postal-code': entity.postal,
        country: { code: entity.country },
      },
      'remit-to-addresses': [
        {
          id: 5000 + i,
          'remit-to-code': `RT-${i + 1}`,
          name: `${name} remittance`,
          street1: entity.street,
          city: entity.city,
          'postal-code': entity.postal,
          country: { code: entity.country },
          active: true,
        },
      ],
      'po-method': 'email',
      'created-at': isoAt(SEED_EPOCH - 200 * 86_400_000),
      'updated-at': updated,
    });
  }

  const purchaseOrders: CoupaRecord[] = [];
  const receivingTransactions: CoupaRecord[] = [];
  const invoices: CoupaRecord[] = [];
  const active = suppliers.filter((s) => s['status'] === 'active');
  for (let i = 0; i < 80; i++) {
    const supplier = active[i % active.length]!;
    const entity = LEGAL_ENTITIES[(supplier.id - suppliers[0]!.id) % LEGAL_ENTITIES.length]!;
    const acct =
      accounts[
        LEGAL_ENTITIES.indexOf(entity) * GL.length * COST_CENTERS.length + (i % (GL.length * COST_CENTERS.length))
      ]!;
    const qty = BigInt(1 + (i % 5));
    const priceMinor = 1250n + BigInt(i) * 377n;
    const lineTotal = qty * priceMinor;
    const created = SEED_EPOCH - (80 - i) * 7_200_000;
    const orderLineId = id();
    const po: CoupaRecord = {
      id: id(),
      'po-number': `PO-${entity.code}-${(4500 + i).toString()}`,
      status: 'issued',
      version: 1,
      exported: i < 30,
      supplier: { id: supplier.id, name: supplier['name'], number: supplier['number'] },
      currency: { code: entity.currency },
      'order-lines': [
        {
          id: orderLineId,
          'line-num': 1,
          description: `${GL[i % GL.length]!.name} order ${i + 1}`,
          quantity: qty.toString(),
          price: decimal(priceMinor),
          total: decimal(lineTotal),
          uom: { code: 'EA' },
          account: accountRef(acct),
          'receipt-required': i % 3 !== 0,
        },
      ],
      'created-at': isoAt(created),
      'updated-at': isoAt(created),
    };
    purchaseOrders.push(po);
    if (i % 3 !== 0) {
      receivingTransactions.push({
        id: id(),
        type: 'ReceivingQuantityConsumption',
        status: 'created',
        quantity: qty.toString(),
        'order-line': { id: orderLineId, 'line-num': 1, 'order-header-id': po.id },
        'transaction-date': isoAt(created + 86_400_000),
        'created-at': isoAt(created + 86_400_000),
        'updated-at': isoAt(created + 86_400_000),
      });
    }
    const status = i % 10 === 4 ? 'pending_approval' : i % 10 === 8 ? 'disputed' : 'approved';
    invoices.push(
      seedInvoice({
        id,
        index: i,
        supplier,
        currency: entity.currency,
        status,
        created,
        description: `${GL[i % GL.length]!.name} order ${i + 1}`,
        quantity: qty,
        priceMinor,
        taxRatePercent: TAX_RATE_PERCENT[entity.currency] ?? 0n,
        account: acct,
        splitAccount:
          accounts[accounts.indexOf(acct) % 12 === 11 ? accounts.indexOf(acct) - 1 : accounts.indexOf(acct) + 1]!,
        freightAccount:
          accounts[LEGAL_ENTITIES.indexOf(entity) * GL.length * COST_CENTERS.length + 2 * COST_CENTERS.length]!,
        orderLineId,
        poNumber: String(po['po-number']),
      }),
    );
  }
  return {
    suppliers,
    supplierInformation: suppliers.map((supplier, index) => supplierInformationFor(supplier, index, id())),
    invoices,
    purchaseOrders,
    receivingTransactions,
    accounts,
    lookupValues,
    lookups,
    integrationHistoryRecords: [],
    integrationErrors: [],
    nextId,
  };
}
