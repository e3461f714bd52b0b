/**
 * API_CV_ATTACHMENT_SRV as far as URL attachments go: the function imports `CreateUrlAsAttachment`
 * (POST, parameters as OData string literals in the URL, answers the created `AttachmentContent`)
 * and `GetAllOriginals` (GET, answers the business object's `AttachmentContent` collection).
 * Business objects the simulator knows: `BUS2081` (supplier invoice, key SupplierInvoice +
 * FiscalYear) and `BKPF` (accounting document, key CompanyCode + AccountingDocument + FiscalYear).
 * Linking to an object that does not exist is a 404 Gateway error; the exact SAP message for it is
 * not published, the code used here is the Gateway's "resource not found". Limits from the
 * service's metadata: Url and UrlDescription 255 characters, MIMEType 40. A URL attachment is
 * listed with its address in `DocumentURL` and its description in `FileName`; the document in
 * `/_sim/documents` carries it under `attachments`.
 */
import { randomUUID } from 'node:crypto';
import type { SimDocuments } from '../../sim-kit/documents.js';
import type { SimRequest, SimResponse } from '../../sim-kit/sim-server.js';
import {
  collection,
  odataError,
  originOf,
  sapTimestamp,
  serialize,
  type Entity,
  type EntitySet,
} from './odata-envelope.js';
import { ATTACHMENT_FACTS } from '../contract-facts/attachment-facts.js';
import type { SapState } from './sap-state.js';

export const ATTACHMENT_SERVICE = '/sap/opu/odata/sap/API_CV_ATTACHMENT_SRV';
const SET: EntitySet = {
  service: ATTACHMENT_SERVICE,
  name: 'AttachmentContentSet',
  type: 'API_CV_ATTACHMENT_SRV.AttachmentContent',
  key: (e) =>
    [
      'DocumentInfoRecordDocType',
      'DocumentInfoRecordDocNumber',
      'DocumentInfoRecordDocVersion',
      'DocumentInfoRecordDocPart',
      'LogicalDocument',
      'ArchiveDocumentID',
      'LinkedSAPObjectKey',
      'BusinessObjectTypeName',
    ]
      .map((k) => `${k}='${String(e[k] ?? '')}'`)
      .join(','),
  contract: { service: ATTACHMENT_FACTS, set: ATTACHMENT_FACTS.entitySets['AttachmentContentSet']! },
};
const LIMITS: Readonly<Record<string, number>> = {
  BusinessObjectTypeName: 40,
  LinkedSAPObjectKey: 90,
  Url: 255,
  UrlDescription: 255,
  MIMEType: 40,
};

/** The value of an OData string literal parameter (`'it''s'` → `it's`), or undefined when absent or not a literal. */
function literal(request: SimRequest, name: string): string | undefined {
  const raw = request.query.get(name);
  const match = raw === null ? null : /^'((?:[^']|'')*)'$/s.exec(raw);
  return match === null ? undefined : (match[1] ?? '').replace(/''/g, "'");
}

function badParameter(name: string): SimResponse {
  const message = `Parameter ${name} has an invalid value`;
  return odataError(400, '/IWBEP/CM_MGW_RT/001', message, [
    { code: '/IWBEP/CM_MGW_RT/001', message, propertyref: name },
  ]);
}

/** Where the business object is in `/_sim/documents`, or undefined when it does not exist. */
function postedDocument(
  state: SapState,
  type: string,
  key: string,
): { kind: 'supplier_invoice' | 'journal_entry'; id: string } | undefined {
  if (type === 'BUS2081' && key.length === 14) {
    const [number, year] = [key.slice(0, 10), key.slice(10)];
    return state.invoices.some((i) => i['SupplierInvoice'] === number && i['FiscalYear'] === year)
      ? { kind: 'supplier_invoice', id: `${number}/${year}` }
      : undefined;
  }
  if (type === 'BKPF' && key.length === 18) {
    const [company, number, year] = [key.slice(0, 4).trim(), key.slice(4, 14), key.slice(14)];
    const item = state.journalItems.find(
      (i) => i['CompanyCode'] === company && i['AccountingDocument'] === number && i['FiscalYear'] === year,
    );
    if (item === undefined) return undefined;
    // A supplier invoice's accounting document has the invoice's number in the simulator.
    return state.invoices.some(
      (i) => i['SupplierInvoice'] === number && i['FiscalYear'] === year && i['CompanyCode'] === company,
    )
      ? { kind: 'supplier_invoice', id: `${number}/${year}` }
      : { kind: 'journal_entry', id: `${number}/${company}/${year}` };
  }
  return undefined;
}

export function attachmentRoute(state: SapState, documents: SimDocuments, user: string) {
  return (request: SimRequest, segment: string): SimResponse => {
    if (segment === 'GetAllOriginals') {
      if (request.method !== 'GET')
        return odataError(405, '/IWBEP/CM_MGW_RT/021', `Method ${request.method} not allowed on ${segment}`);
      const key = literal(request, 'LinkedSAPObjectKey');
      if (key === undefined) return badParameter('LinkedSAPObjectKey');
      const type = literal(request, 'BusinessObjectTypeName');
      const rows = [...state.attachments]
        .filter(([object]) => object.endsWith(`/${key}`) && (type === undefined || object === `${type}/${key}`))
        .flatMap(([, list]) => list);
      return collection(request, SET, rows, { pageSize: Number.MAX_SAFE_INTEGER });
    }
    if (segment === 'CreateUrlAsAttachment') {
      if (request.method !== 'POST')
        return odataError(405, '/IWBEP/CM_MGW_RT/021', `Method ${request.method} not allowed on ${segment}`);
      const values: Record<string, string> = {};
      for (const [name, limit] of Object.entries(LIMITS)) {
        const value = literal(request, name);
        if (value === undefined || value === '' || value.length > limit) return badParameter(name);
        values[name] = value;
      }
      const type = values['BusinessObjectTypeName'] ?? '';
      const key = values['LinkedSAPObjectKey'] ?? '';
      const posted = postedDocument(state, type, key);
      if (posted === undefined)
        return odataError(404, '/IWBEP/CM_MGW_RT/020', `Business object ${type} ${key.trim()} does not exist`);
      const now = new Date().toISOString();
      const guid = (): string => randomUUID().replace(/-/g, '').toUpperCase();
      const [logical, archive] = [guid(), guid()];
      const entity: Entity = {
        DocumentInfoRecordDocType: '',
        DocumentInfoRecordDocNumber: '',
        DocumentInfoRecordDocVersion: '',
        DocumentInfoRecordDocPart: '',
        LogicalDocument: logical,
        ArchiveDocumentID: archive,
        LinkedSAPObjectKey: key,
        BusinessObjectTypeName: type,
        SemanticObject: literal(request, 'SemanticObject') ?? '',
        FileName: values['UrlDescription'],
        DocumentURL: values['Url'],
        MimeType: values['MIMEType'],
        FileSize: '0',
        CreatedByUser: user.slice(0, 12),
        CreatedByUserFullName: user,
        CreationDateTime: sapTimestamp(now).replace('+0000', ''),
        BusinessObjectType: type,
        AttachmentDeletionIsAllowed: true,
        AttachmentRenameIsAllowed: true,
        Source: '',
      };
      state.attachments.set(`${type}/${key}`, [...(state.attachments.get(`${type}/${key}`) ?? []), entity]);
      // Listed under the key fields that tell URL attachments apart: logical document and archive id.
      documents.attach(posted.kind, posted.id, {
        id: `${logical}/${archive}`,
        url: values['Url'] ?? '',
        description: values['UrlDescription'] ?? '',
        mediaType: values['MIMEType'] ?? '',
        createdBy: user,
        createdAt: now,
      });
      const uri = `${originOf(request)}${SET.service}/${SET.name}(${SET.key(entity)})`;
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { d: serialize(entity, uri, SET.type, new Map(), {}, undefined, SET.contract) },
        committed: true,
      };
    }
    return odataError(404, '/IWBEP/CM_MGW_RT/020', `Resource not found for segment '${segment}'`);
  };
}
