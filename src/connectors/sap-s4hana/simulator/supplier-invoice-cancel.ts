/**
 * API_SUPPLIERINVOICE_PROCESS_SRV function import `Cancel` (POST, EDMX: "Reverses a supplier invoice
 * and creates a reversal document. The system returns the reversal number."): parameters
 * `SupplierInvoice`, `FiscalYear`, `ReversalReason` (String(2)) and `PostingDate` (Edm.DateTime),
 * answer `CancelInvoiceExportParameters` {ReverseDocument, FiscalYear, Success}. The metadata checks
 * (odata-contract-checks.ts) refuse a missing, unknown or ill-typed parameter before this runs.
 *
 * What the simulator does, as SAP does: the reversal document posts every item of the invoice on the
 * other side, on the posting date given (its period must be open); the invoice is marked reversed
 * (`IsReversed`, `ReverseDocument`); the vendor items of both are cleared against each other by the
 * reversal (no payment run pays them), and the items read through `A_OperationalAcctgDocItemCube`
 * carry `IsReversed` / `IsReversal`. An invoice already reversed, or a reason left empty, is refused.
 * The message numbers of those two refusals are the simulator's own.
 */
import type { SimDocuments } from '../../sim-kit/documents.js';
import { json, type SimRequest, type SimResponse } from '../../sim-kit/sim-server.js';
import { odataError, sapDate } from './odata-envelope.js';
import { stringLiteral } from './odata-contract-checks.js';
import { simDocumentLines, type JournalLine, type SapState } from './sap-state.js';

const RETURN_TYPE = 'API_SUPPLIERINVOICE_PROCESS_SRV.CancelInvoiceExportParameters';

function reject(code: string, message: string, property: string): SimResponse {
  return odataError(400, code, message, [{ code, message, propertyref: property }]);
}

export function cancelSupplierInvoice(request: SimRequest, state: SapState, documents: SimDocuments): SimResponse {
  const invoiceNumber = stringLiteral(request.query.get('SupplierInvoice')) ?? '';
  const fiscalYear = stringLiteral(request.query.get('FiscalYear')) ?? '';
  const reason = stringLiteral(request.query.get('ReversalReason')) ?? '';
  const postingDate = /datetime'(\d{4}-\d{2}-\d{2})/.exec(request.query.get('PostingDate') ?? '')?.[1] ?? '';
  const invoice = state.invoices.find((i) => i['SupplierInvoice'] === invoiceNumber && i['FiscalYear'] === fiscalYear);
  if (invoice === undefined)
    return odataError(404, '/IWBEP/CM_MGW_RT/020', `Supplier invoice ${invoiceNumber} ${fiscalYear} does not exist`);
  if (invoice['IsReversed'] === true)
    return reject(
      'M8/900',
      `Invoice document ${invoiceNumber} ${fiscalYear} is already reversed by ${String(invoice['ReverseDocument'])}`,
      'SupplierInvoice',
    );
  if (reason.trim() === '') return reject('M8/901', 'Enter a reason for reversal', 'ReversalReason');
  const companyCode = String(invoice['CompanyCode']);
  const period = state.period(companyCode, postingDate);
  if (!period.open)
    return reject(
      'F5/201',
      `Posting period ${String(period.period).padStart(3, '0')} ${period.fiscalYear} is not open`,
      'PostingDate',
    );
  const original = state.journalItems.filter(
    (i) =>
      i['AccountingDocument'] === invoiceNumber && i['FiscalYear'] === fiscalYear && i['CompanyCode'] === companyCode,
  );
  const reversal = state.next('invoice');
  const reversalYear = String(period.fiscalYear);
  const lines: JournalLine[] = original.map((item) => ({
    glAccount: String(item['GLAccount']),
    amount: String(item['AmountInTransactionCurrency']).replace(/^-/, ''),
    side: item['DebitCreditCode'] === 'S' ? 'H' : 'S',
    ...(item['Supplier'] === '' ? {} : { supplier: String(item['Supplier']) }),
    ...(item['CostCenter'] === '' ? {} : { costCenter: String(item['CostCenter']) }),
    ...(item['TaxCode'] === '' ? {} : { taxCode: String(item['TaxCode']) }),
    text: String(item['DocumentItemText'] ?? ''),
  }));
  const reference = String(invoice['SupplierInvoiceIDByInvcgParty']);
  const currency = String(invoice['DocumentCurrency']);
  state.postItems(
    {
      companyCode,
      fiscalYear: reversalYear,
      document: reversal,
      type: String(invoice['AccountingDocumentType'] ?? 'RE'),
      postingDate,
      documentDate: postingDate,
      reference,
      currency,
    },
    lines,
  );
  const cleared = {
    ClearingAccountingDocument: reversal,
    ClearingDate: sapDate(postingDate),
    ClearingDocFiscalYear: reversalYear,
  };
  for (const item of original) {
    item['IsReversed'] = true;
    if (item['FinancialAccountType'] === 'K') Object.assign(item, cleared, { IsCleared: true });
  }
  for (const item of state.journalItems.filter(
    (i) => i['AccountingDocument'] === reversal && i['FiscalYear'] === reversalYear,
  )) {
    item['IsReversal'] = true;
    if (item['FinancialAccountType'] === 'K') Object.assign(item, cleared, { IsCleared: true });
  }
  invoice['IsReversed'] = true;
  invoice['ReverseDocument'] = reversal;
  documents.add({
    kind: 'reversal',
    id: `${reversal}/${reversalYear}`,
    reference,
    companyCode,
    currency,
    lines: simDocumentLines(lines),
    raw: { reverses: `${invoiceNumber}/${fiscalYear}`, ReversalReason: reason, PostingDate: postingDate },
  });
  return json(200, {
    d: {
      Cancel: { __metadata: { type: RETURN_TYPE }, ReverseDocument: reversal, FiscalYear: reversalYear, Success: true },
    },
  });
}
