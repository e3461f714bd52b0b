/**
 * Tells the AP clerk why an invoice was not posted, where they work the invoice: an integration
 * error on it in procurement (Coupa: an integration history record with an alert, document type
 * `InvoiceHeader`, status `error`, alert type Functional; R39 Core Platform API
 * `POST /integration_history_records/create_alert`). The invoice is not marked exported, so it stays
 * in procurement's queue and a corrected version comes back as a new run. One response for the
 * summary, one per issue of the pre-posting check (its issue code and message).
 */
import type { LedgerlinkError } from '../../canonical/errors.js';
import type { ProcurementPort } from '../../connectors/port.js';
import type { StepContext } from '../../engine/step-api.js';
import { recordIntegrationOnce } from '../integration-record-effect.js';
import { INVOICE_DOCUMENT_TYPE } from './invoice-input.js';

export async function recordInvoiceIntegrationError(
  ctx: StepContext,
  procurement: { readonly system: string; readonly port: ProcurementPort },
  invoiceId: string,
  code: 'posting-check' | 'erp-rejected',
  error: LedgerlinkError,
  prefix = '',
): Promise<void> {
  const issues = error.details.flatMap((d) => {
    const detail = d as { code?: unknown; message?: unknown } | null;
    return code === 'posting-check' && typeof detail?.code === 'string' && typeof detail.message === 'string'
      ? [{ code: detail.code, message: detail.message }]
      : [];
  });
  await recordIntegrationOnce(ctx, {
    system: procurement.system,
    port: procurement.port,
    kind: 'error',
    // An ERP refusal keeps the effect name it always had; a check failure is recorded once per attempt too.
    name: code === 'erp-rejected' ? `integration-error-${ctx.attempt}` : `integration-error-${code}-${ctx.attempt}`,
    record: {
      documentType: INVOICE_DOCUMENT_TYPE,
      documentId: invoiceId,
      status: 'error',
      alertType: 'Functional',
      responses: [
        { code, message: `${prefix}${error.message}`.slice(0, 1000) },
        ...issues.map((i) => ({ code: i.code, message: i.message.slice(0, 1000) })),
      ],
    },
  });
}
