/**
 * Creating, changing and deleting records of the simulator's resources as Business Central's API
 * pages do: defaults for every published property, the parent's key on lines, table relations checked
 * on insert (vendor, account, tax group, dimension value), Code fields in upper case, numbers from the
 * number series, duplicate keys refused, documents changed only while they are drafts.
 */
import { BC_RESOURCES, type BcResourceFact, type BcResourceName } from '../bc-contract-facts.js';
import { checkDimension, recalculateInvoice } from './bc-posting.js';
import { refuse, type BcRecord } from './bc-odata.js';
import { newId, now, table, type CompanyState } from './bc-state.js';

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
const KNOWN_CURRENCIES = new Set(['EUR', 'USD', 'GBP']);

/** Which child sets a record of a set has, and the property that keys them to it. */
export const CHILDREN: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  purchaseInvoices: { purchaseInvoiceLines: 'documentId', dimensionSetLines: 'parentId' },
  journals: { journalLines: 'journalId' },
  journalLines: { dimensionSetLines: 'parentId' },
  purchaseInvoiceLines: { dimensionSetLines: 'parentId' },
};

export function factOf(name: string): BcResourceFact | undefined {
  return (BC_RESOURCES as Readonly<Record<string, BcResourceFact>>)[name];
}

function defaults(fact: BcResourceFact): BcRecord {
  const out: BcRecord = {};
  for (const [name, property] of Object.entries(fact.properties)) {
    out[name] =
      property.type === 'guid'
        ? ZERO_GUID
        : property.type === 'decimal' || property.type === 'integer'
          ? 0
          : property.type === 'boolean'
            ? false
            : property.type === 'date'
              ? '0001-01-01'
              : property.type === 'stream'
                ? null
                : property.values !== undefined
                  ? property.values[0]!
                  : '';
  }
  return out;
}

const exists = (msg: string): never => refuse(400, 'Internal_EntityWithSameKeyExists', msg);
const relation = (field: string, value: string, target: string): never =>
  refuse(
    400,
    'Internal_InvalidTableRelation',
    `The field ${field} contains a value (${value}) that cannot be found in the related table (${target}).`,
  );

function draftInvoice(company: CompanyState, id: unknown): BcRecord {
  const invoice = table(company, 'purchaseInvoices').find((i) => i['id'] === id);
  if (invoice === undefined) return refuse(404, 'BadRequest_NotFound', 'The purchase invoice does not exist.');
  if (invoice['status'] !== 'Draft')
    refuse(
      400,
      'Application_DialogException',
      `You cannot change posted purchase invoice ${String(invoice['number'])}.`,
    );
  return invoice;
}

/** Creates a record of `set` from a checked body; `parent` is the record the request navigated from. */
export function create(
  company: CompanyState,
  set: BcResourceName,
  body: BcRecord,
  parent?: { readonly set: string; readonly record: BcRecord },
): BcRecord {
  const fact = BC_RESOURCES[set] as BcResourceFact;
  const record: BcRecord = { ...defaults(fact), ...body, id: newId(), lastModifiedDateTime: now() };
  const key = CHILDREN[parent?.set ?? '']?.[set];
  if (parent !== undefined && key !== undefined) record[key] = parent.record['id'] ?? null;
  switch (set) {
    case 'vendors': {
      const vendors = table(company, 'vendors');
      const number = String(body['number'] ?? `V${String(vendors.length + 10000).padStart(5, '0')}`).toUpperCase();
      if (vendors.some((v) => v['number'] === number))
        exists(`The Vendor already exists. Identification fields and values: No.='${number}'`);
      record['number'] = number;
      record['blocked'] = body['blocked'] ?? ' ';
      break;
    }
    case 'purchaseInvoices': {
      const vendors = table(company, 'vendors');
      const vendor =
        body['vendorId'] !== undefined
          ? vendors.find((v) => v['id'] === body['vendorId'])
          : body['vendorNumber'] !== undefined
            ? vendors.find((v) => v['number'] === String(body['vendorNumber']).toUpperCase())
            : refuse(400, 'Application_DialogException', 'A vendorNumber or a vendorId must be provided.');
      if (vendor === undefined)
        return relation('Buy-from Vendor No.', String(body['vendorNumber'] ?? body['vendorId']), 'Vendor');
      let currency = String(body['currencyCode'] ?? '');
      if (currency === company.seed.currency) currency = '';
      if (currency !== '' && !KNOWN_CURRENCIES.has(currency)) relation('Currency Code', currency, 'Currency');
      Object.assign(record, {
        number: `PI-${company.counters.invoice++}`,
        vendorId: vendor['id'] ?? null,
        vendorNumber: vendor['number'] ?? null,
        vendorName: vendor['displayName'] ?? null,
        payToVendorId: vendor['id'] ?? null,
        payToVendorNumber: vendor['number'] ?? null,
        payToName: vendor['displayName'] ?? null,
        currencyCode: currency,
        status: 'Draft',
      });
      break;
    }
    case 'purchaseInvoiceLines': {
      const invoice = draftInvoice(company, record['documentId']);
      checkInvoiceLine(company, record);
      const siblings = table(company, 'purchaseInvoiceLines').filter((l) => l['documentId'] === invoice['id']);
      if (body['sequence'] === undefined) record['sequence'] = (siblings.length + 1) * 10000;
      table(company, set).push(record);
      recalculateInvoice(company, invoice);
      return record;
    }
    case 'journals': {
      const code = String(body['code']).toUpperCase();
      if (table(company, 'journals').some((j) => j['code'] === code))
        exists(
          `The Gen. Journal Batch already exists. Identification fields and values: Journal Template Name='GENERAL',Name='${code}'`,
        );
      Object.assign(record, { code, templateDisplayName: 'GENERAL' });
      break;
    }
    case 'journalLines': {
      if (!table(company, 'journals').some((j) => j['id'] === record['journalId']))
        refuse(404, 'BadRequest_NotFound', 'The journal does not exist.');
      if (body['accountType'] === undefined) record['accountType'] = 'G/L Account';
      const number = String(record['accountNumber']);
      if (record['accountType'] === 'Vendor') {
        if (!table(company, 'vendors').some((v) => v['number'] === number)) relation('Account No.', number, 'Vendor');
      } else if (record['accountType'] === 'G/L Account') {
        if (!table(company, 'accounts').some((a) => a['number'] === number))
          relation('Account No.', number, 'G/L Account');
      } else
        refuse(
          400,
          'Application_DialogException',
          `Account type ${String(record['accountType'])} is not set up in this company.`,
        );
      const siblings = table(company, 'journalLines').filter((l) => l['journalId'] === record['journalId']);
      if (body['lineNumber'] === undefined)
        record['lineNumber'] = Math.max(0, ...siblings.map((l) => Number(l['lineNumber']))) + 10000;
      break;
    }
    case 'dimensionSetLines': {
      if (parent === undefined)
        refuse(400, 'BadRequest_MethodNotAllowed', 'Dimension set lines are created under their parent.');
      const code = String(record['code']).toUpperCase();
      const value = String(record['valueCode']).toUpperCase();
      if (parent!.set === 'purchaseInvoiceLines') draftInvoice(company, parent!.record['documentId']);
      checkDimension(company, code, value);
      if (table(company, 'dimensionSetLines').some((d) => d['parentId'] === record['parentId'] && d['code'] === code))
        exists(
          `The Dimension Set Entry Buffer already exists. Identification fields and values: Dimension Code='${code}'`,
        );
      const dimension = table(company, 'dimensions').find((d) => d['code'] === code)!;
      const dimensionValue = table(company, 'dimensionValues').find(
        (v) => v['dimensionId'] === dimension['id'] && v['code'] === value,
      )!;
      Object.assign(record, {
        id: dimension['id'] ?? null,
        code,
        valueCode: value,
        valueId: dimensionValue['id'] ?? null,
        displayName: dimension['displayName'] ?? null,
        valueDisplayName: dimensionValue['displayName'] ?? null,
        parentType: parent!.set === 'journalLines' ? 'Journal Line' : 'Purchase Invoice Line',
      });
      delete record['lastModifiedDateTime'];
      break;
    }
    case 'documentAttachments': {
      const parentSet =
        record['parentType'] === 'Purchase Invoice'
          ? 'purchaseInvoices'
          : record['parentType'] === 'Journal'
            ? 'journals'
            : undefined;
      if (parentSet === undefined || !table(company, parentSet).some((r) => r['id'] === record['parentId']))
        refuse(
          400,
          'Internal_RecordNotFound',
          `The ${String(record['parentType'])} ${String(record['parentId'])} does not exist.`,
        );
      const siblings = table(company, set).filter((a) => a['parentId'] === record['parentId']);
      Object.assign(record, { lineNumber: siblings.length + 1, byteSize: 0 });
      break;
    }
    default:
      break;
  }
  table(company, set).push(record);
  return record;
}

function checkInvoiceLine(company: CompanyState, line: BcRecord): void {
  if (line['lineType'] === 'Account') {
    const number = String(line['lineObjectNumber']);
    if (!table(company, 'accounts').some((a) => a['number'] === number)) relation('No.', number, 'G/L Account');
  } else if (line['lineType'] !== 'Comment')
    refuse(400, 'Application_DialogException', `Line type ${String(line['lineType'])} is not set up in this company.`);
  const taxCode = String(line['taxCode'] ?? '');
  if (taxCode !== '' && !company.taxRates.has(taxCode)) relation('Tax Group Code', taxCode, 'Tax Group');
}

/** Applies a checked update body; a line of a posted invoice or a blocked field change is refused. */
export function update(company: CompanyState, set: string, record: BcRecord, body: BcRecord): void {
  if (set === 'purchaseInvoices') draftInvoice(company, record['id']);
  if (set === 'purchaseInvoiceLines') draftInvoice(company, record['documentId']);
  if (set === 'vendors' && body['number'] !== undefined) {
    const number = String(body['number']).toUpperCase();
    if (table(company, 'vendors').some((v) => v !== record && v['number'] === number))
      exists(`The Vendor already exists. Identification fields and values: No.='${number}'`);
    body['number'] = number;
  }
  Object.assign(record, body, { lastModifiedDateTime: now() });
  if (set === 'purchaseInvoiceLines') {
    checkInvoiceLine(company, record);
    recalculateInvoice(company, draftInvoice(company, record['documentId']));
  }
}

export function remove(company: CompanyState, set: string, record: BcRecord): void {
  if (set === 'purchaseInvoices') draftInvoice(company, record['id']);
  if (set === 'purchaseInvoiceLines') draftInvoice(company, record['documentId']);
  const rows = table(company, set);
  rows.splice(rows.indexOf(record), 1);
  for (const [child, key] of Object.entries(CHILDREN[set] ?? {})) {
    const children = table(company, child);
    children.splice(0, children.length, ...children.filter((c) => c[key] !== record['id']));
  }
}
