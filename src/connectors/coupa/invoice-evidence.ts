/**
 * Evidence on a Coupa invoice, read when the tenant sends it: approvals (`approvals[]` with status
 * approved: `approval-date`, `approver{login, fullname}`, `position`) and links to the scanned image
 * (`image-scan-url`) and attachments (`attachments[].url`). R39's InvoiceHeader lists `approvals`
 * (Approval) and `image-scan-url` (read-only); the approval field names are not confirmed there.
 */
import type { ApprovalEvidence, AttachmentRef } from '../../canonical/model/index.js';
import { ownValue, type JsonObject } from '../../canonical/strict-json.js';
import { asObject, optObject, optText } from './translate.js';

/** Approvals given on a document (`approvals[]` with status approved), oldest first. */
export function approvalsOf(record: JsonObject): ApprovalEvidence[] {
  const raw = ownValue(record, 'approvals');
  const out = (Array.isArray(raw) ? raw : []).flatMap((entry, index): ApprovalEvidence[] => {
    const approval = asObject(entry, `approvals[${index}]`);
    const at = optText(approval, 'approval-date') ?? optText(approval, 'approved-at');
    if (optText(approval, 'status') !== 'approved' || at === undefined) return [];
    const approver = optObject(approval, 'approver');
    const login = optText(approver, 'login') ?? optText(approver, 'id') ?? 'unknown';
    const position = optText(approval, 'position');
    const note = optText(approval, 'note');
    return [
      {
        approverId: login,
        approverName: optText(approver, 'fullname') ?? login,
        approvedAt: at,
        step: position === undefined ? 'approval' : `approval ${position}`,
        policy: optText(approval, 'type') ?? 'approval chain',
        ...(note === undefined ? {} : { comment: note }),
      },
    ];
  });
  return out.sort((a, b) => Date.parse(a.approvedAt) - Date.parse(b.approvedAt));
}

/** The scanned invoice image and URL or file attachments, as links. */
export function attachmentsOf(record: JsonObject): AttachmentRef[] {
  const image = optText(record, 'image-scan-url');
  const raw = ownValue(record, 'attachments');
  const others = (Array.isArray(raw) ? raw : []).flatMap((entry, index): AttachmentRef[] => {
    const attachment = asObject(entry, `attachments[${index}]`);
    const uri = optText(attachment, 'url') ?? optText(attachment, 'file-url');
    const name = optText(attachment, 'file-name');
    return uri === undefined ? [] : [{ kind: 'other', uri, ...(name === undefined ? {} : { name }) }];
  });
  return [...(image === undefined ? [] : [{ kind: 'invoice_image' as const, uri: image }]), ...others];
}
