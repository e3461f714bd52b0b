/**
 * Links on posted documents. Business Central API v2.0 has no URL link resource; its
 * `documentAttachments` take files on purchase invoices (parentType "Purchase Invoice") and journals
 * (parentType "Journal"). A link is kept as an Internet shortcut file (`<description>.url`, content
 * `[InternetShortcut] URL=<url>`), which opens the address from the attachment list: on the posted
 * purchase invoice, or, for a journal entry (G/L entries, to which the API attaches nothing), on the
 * journal batch the entry was posted through, which keeps our reference in its code and name.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { ErpAttachment, ErpAttachmentLink, ErpAttachmentTarget, ErpDocumentRef } from '../ports/erp-port.js';
import type { BcClient } from './client.js';
import { batchCodeOf, type CompanyContext } from './postings.js';
import { quote, text } from './translate.js';

/** fileName is Text[250]; the `.url` suffix takes four. */
const MAX_DESCRIPTION = 246;
const SHORTCUT = /^\[InternetShortcut\]\r?\nURL=(.*)$/m;

function checkLink(link: ErpAttachmentLink, i: number): void {
  const fail = (message: string, path: string): never => {
    throw new LedgerlinkError('LL_ERR_VALIDATION', message, { details: [{ message, path: `links[${i}].${path}` }] });
  };
  if (!/^https?:\/\//.test(link.url) || link.url.length > 255)
    fail('an absolute http(s) URL of at most 255 characters', 'url');
  if (link.description.length === 0 || link.description.length > MAX_DESCRIPTION)
    fail(`a description of 1 to ${MAX_DESCRIPTION} characters (Business Central file name)`, 'description');
}

const fileNameOf = (description: string): string => `${description.replace(/[\\/:*?"<>|]/g, '_')}.url`;

interface Parent {
  readonly parentType: 'Purchase Invoice' | 'Journal';
  readonly parentId: string;
}

async function parentOf(client: BcClient, company: CompanyContext, document: ErpDocumentRef): Promise<Parent> {
  const refused = (message: string): LedgerlinkError => new LedgerlinkError('LL_ERR_REMOTE_REJECTED', message);
  if (document.kind === 'journal_entry') {
    const code = batchCodeOf(document.documentId);
    const [journal] = await client.list(`${company.path}/journals`, `code eq ${quote(code)}`);
    if (journal === undefined)
      throw refused(`Business Central has no journal batch ${code} of journal entry ${document.documentId}`);
    return { parentType: 'Journal', parentId: text(journal, 'id') };
  }
  const [invoice] = await client.list(`${company.path}/purchaseInvoices`, `number eq ${quote(document.documentId)}`);
  if (invoice === undefined) throw refused(`Business Central has no purchase invoice ${document.documentId}`);
  return { parentType: 'Purchase Invoice', parentId: text(invoice, 'id') };
}

export async function listAttachments(
  client: BcClient,
  company: CompanyContext,
  document: ErpDocumentRef,
): Promise<ErpAttachment[]> {
  const { parentId } = await parentOf(client, company, document);
  const rows = await client.list(`${company.path}/documentAttachments`, `parentId eq ${parentId}`);
  const out: ErpAttachment[] = [];
  for (const row of rows) {
    const fileName = text(row, 'fileName');
    const content = await client.http
      .request({ path: `${company.path}/documentAttachments(${text(row, 'id')})/attachmentContent` })
      .then((r) => r.text)
      .catch(() => '');
    const url = SHORTCUT.exec(content)?.[1]?.trim();
    const modified = text(row, 'lastModifiedDateTime');
    out.push({
      id: text(row, 'id'),
      ...(url === undefined ? {} : { url }),
      description: fileName.replace(/\.url$/, ''),
      ...(url === undefined ? {} : { mediaType: 'application/internet-shortcut' }),
      ...(modified === '' ? {} : { createdAt: modified }),
    });
  }
  return out;
}

/** Adds every target's links; on a failure the links added by this call are removed again. */
export async function linkAttachments(
  client: BcClient,
  companyOf: (entity: string) => Promise<CompanyContext>,
  targets: readonly ErpAttachmentTarget[],
): Promise<ErpAttachment[][]> {
  targets.forEach((t) => t.links.forEach(checkLink));
  const added: { path: string }[] = [];
  const out: ErpAttachment[][] = [];
  try {
    for (const target of targets) {
      const company = await companyOf(target.document.companyCode);
      const parent = await parentOf(client, company, target.document);
      const attachments: ErpAttachment[] = [];
      for (const link of target.links) {
        const created = await client.post(`${company.path}/documentAttachments`, {
          fileName: fileNameOf(link.description),
          ...parent,
        });
        const path = `${company.path}/documentAttachments(${text(created, 'id')})`;
        added.push({ path });
        await client.putContent(
          `${path}/attachmentContent`,
          `[InternetShortcut]\r\nURL=${link.url}\r\n`,
          text(created, '@odata.etag') || '*',
          'application/octet-stream',
        );
        attachments.push({
          id: text(created, 'id'),
          url: link.url,
          description: link.description,
          mediaType: 'application/internet-shortcut',
        });
      }
      out.push(attachments);
    }
  } catch (error) {
    for (const { path } of added) await client.delete(path, '*').catch(() => undefined);
    throw error;
  }
  return out;
}
