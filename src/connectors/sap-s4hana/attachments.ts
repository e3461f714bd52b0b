/**
 * URL attachments on posted documents through SAP's Attachment Service (`API_CV_ATTACHMENT_SRV`,
 * documented on the SAP Business Accelerator Hub and in the SAP Cloud SDK's attachment-service VDM;
 * not in the shared vendor contract file). `CreateUrlAsAttachment` (POST, parameters as OData string
 * literals in the URL) links a URL to a business object and answers the created `AttachmentContent`;
 * `GetAllOriginals` (GET) lists a business object's attachments. Several links of one document go in
 * one `$batch` change set (the links of every document a posting made: one request, and all of them
 * kept or none).
 *
 * Business objects: a supplier invoice is `BUS2081`, key SupplierInvoice (10) + FiscalYear (4); a
 * journal entry is the accounting document `BKPF`, key CompanyCode (4) + AccountingDocument (10) +
 * FiscalYear (4). Limits from the service's metadata: `Url` and `UrlDescription` 255 characters,
 * `MIMEType` 40. A URL attachment is listed with its address in `DocumentURL` and its description in
 * `FileName` (the simulator answers so; unconfirmed against a tenant, see docs/connectors.md).
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { PlainJson } from '../../canonical/strict-json.js';
import type { ErpAttachment, ErpAttachmentLink, ErpAttachmentTarget, ErpDocumentRef } from '../ports/erp-port.js';
import { SYSTEM, type ODataEntity, type SapClient } from './client.js';
import { quote } from './translate.js';

export const ATTACHMENT_SERVICE = 'API_CV_ATTACHMENT_SRV';
/** SAP's limit on `Url` and `UrlDescription` of CreateUrlAsAttachment. */
export const ATTACHMENT_TEXT_LIMIT = 255;
const URL_MIME_TYPE = 'text/url';

/** The business object type and key the attachment service knows a posted document by. */
export function linkedObject(document: ErpDocumentRef): { readonly type: string; readonly key: string } {
  const number = document.documentId.padStart(10, '0');
  if (document.kind === 'supplier_invoice') return { type: 'BUS2081', key: `${number}${document.fiscalYear}` };
  return { type: 'BKPF', key: `${document.companyCode.padEnd(4, ' ')}${number}${document.fiscalYear}` };
}

function invalid(message: string, path: string, value: string): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_VALIDATION', message, {
    details: [{ message, path, value: value.slice(0, 300), system: SYSTEM }],
  });
}

function checked(link: ErpAttachmentLink): ErpAttachmentLink {
  if (!/^https?:\/\/[^\s]+$/i.test(link.url))
    throw invalid('an attachment link needs an absolute http(s) URL without spaces', 'url', link.url);
  if (link.url.length > ATTACHMENT_TEXT_LIMIT)
    throw invalid(`the ERP keeps URLs of at most ${ATTACHMENT_TEXT_LIMIT} characters`, 'url', link.url);
  if (link.description.length === 0 || link.description.length > ATTACHMENT_TEXT_LIMIT) {
    throw invalid(
      `an attachment description needs 1 to ${ATTACHMENT_TEXT_LIMIT} characters`,
      'description',
      link.description,
    );
  }
  return link;
}

const text = (e: ODataEntity, key: string): string | undefined => {
  const value = e[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** `/Date(ms)/` (Edm.DateTime) as RFC 3339, or undefined. */
function instant(value: PlainJson | undefined): string | undefined {
  const match = typeof value === 'string' ? /^\/Date\((-?\d+)/.exec(value) : null;
  return match === null ? undefined : new Date(Number(match[1])).toISOString();
}

/** An AttachmentContent entity as the port's attachment; its id is the key fields that tell it apart. */
export function attachmentOf(e: ODataEntity): ErpAttachment {
  const id = [
    text(e, 'DocumentInfoRecordDocType'),
    text(e, 'DocumentInfoRecordDocNumber'),
    text(e, 'LogicalDocument'),
    text(e, 'ArchiveDocumentID'),
  ]
    .filter((part) => part !== undefined)
    .join('/');
  const url = text(e, 'DocumentURL');
  const description = text(e, 'FileName');
  const mediaType = text(e, 'MimeType');
  const createdBy = text(e, 'CreatedByUser');
  const createdAt = instant(e['CreationDateTime']);
  return {
    id,
    ...(url === undefined ? {} : { url }),
    ...(description === undefined ? {} : { description }),
    ...(mediaType === undefined ? {} : { mediaType }),
    ...(createdBy === undefined ? {} : { createdBy }),
    ...(createdAt === undefined ? {} : { createdAt }),
  };
}

export async function linkUrlAttachments(
  client: SapClient,
  targets: readonly ErpAttachmentTarget[],
): Promise<ErpAttachment[][]> {
  const parameters = targets.flatMap(({ document, links }) => {
    const object = linkedObject(document);
    return links.map(checked).map(({ url, description }) => ({
      BusinessObjectTypeName: quote(object.type),
      LinkedSAPObjectKey: quote(object.key),
      Url: quote(url),
      UrlDescription: quote(description),
      MIMEType: quote(URL_MIME_TYPE),
    }));
  });
  const created = await client.write(
    ATTACHMENT_SERVICE,
    parameters.map((query) => ({ method: 'POST', path: 'CreateUrlAsAttachment', query })),
  );
  let next = 0;
  return targets.map(({ links }) => created.slice(next, (next += links.length)).map(attachmentOf));
}

export async function listDocumentAttachments(client: SapClient, document: ErpDocumentRef): Promise<ErpAttachment[]> {
  const object = linkedObject(document);
  const found = await client.readAll(ATTACHMENT_SERVICE, 'GetAllOriginals', {
    BusinessObjectTypeName: quote(object.type),
    LinkedSAPObjectKey: quote(object.key),
  });
  return found.map(attachmentOf);
}
