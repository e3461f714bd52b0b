/**
 * The synchronous journal entry SOAP service (port type `JournalEntryCreateRequestConfirmation_In`) as
 * Ledgerlink uses it. Source: `JOURNALENTRYCREATEREQUESTCONFI.wsdl` (inline XSD).
 *
 * Each sequence lists, in the XSD's order, the elements Ledgerlink writes or reads plus every element
 * the XSD requires; elements of the XSD not listed are not used. `type` is the XSD type name, `maxLength`
 * the length its simple type allows (through `simpleContent` for code types). An `Amount` is a decimal
 * with a required `currencyCode` attribute. The request is document/literal: the SOAP body holds
 * `JournalEntryBulkCreateRequest`; the answer `JournalEntryBulkCreateConfirmation`, whose own `Log` is
 * required, with one `JournalEntryCreateConfirmation` (document number, company code, fiscal year;
 * optional) and `Log` (optional) per entry.
 */

export interface ElementFact {
  readonly name: string;
  readonly type: string;
  /** minOccurs (1 when the XSD omits it). */
  readonly min: 0 | 1;
  readonly many: boolean;
  readonly maxLength?: number;
}

const el = (name: string, type: string, min: 0 | 1, maxLength?: number, many = false): ElementFact => ({
  name,
  type,
  min,
  many,
  ...(maxLength === undefined ? {} : { maxLength }),
});

const ITEM = 'JournalEntryCreateRequestJournalEntryItem';
const CREDITOR_ITEM = 'JournalEntryCreateRequestJournalEntryCreditorItem';
const TAX_ITEM = 'JournalEntryCreateRequestJournalEntryProductTaxItem';

export const JOURNAL_ENTRY_SOAP_FACTS = {
  artifact: 'JOURNALENTRYCREATEREQUESTCONFI.wsdl',
  namespace: 'http://sap.com/xi/SAPSCORE/SFIN',
  portType: 'JournalEntryCreateRequestConfirmation_In',
  soapAction:
    'http://sap.com/xi/SAPSCORE/SFIN/JournalEntryCreateRequestConfirmation_In/JournalEntryCreateRequestConfirmation_InRequest',
  /** The endpoint path of the service (host:port placeholder in the WSDL). */
  path: '/sap/bc/srt/scs_ext/sap/journalentrycreaterequestconfi',
  request: { element: 'JournalEntryBulkCreateRequest', type: 'JournalEntryCreateRequestBulkMessage' },
  confirmation: { element: 'JournalEntryBulkCreateConfirmation', type: 'JournalEntryCreateConfirmationBulkMessage' },
  /** The complex type whose `currencyCode` attribute is required. */
  amountType: 'Amount',
  amountAttribute: 'currencyCode',
  sequences: {
    JournalEntryCreateRequestBulkMessage: [
      el('MessageHeader', 'BusinessDocumentMessageHeader', 1),
      el('JournalEntryCreateRequest', 'JournalEntryCreateRequestMessage', 1, undefined, true),
    ],
    BusinessDocumentMessageHeader: [
      el('ID', 'BusinessDocumentMessageID', 0, 35),
      el('ReferenceID', 'BusinessDocumentMessageID', 0, 35),
      el('CreationDateTime', 'GLOBAL_DateTime', 1),
    ],
    JournalEntryCreateRequestMessage: [
      el('MessageHeader', 'BusinessDocumentMessageHeader', 1),
      el('JournalEntry', 'JournalEntryCreateRequestJournalEntry', 1),
    ],
    JournalEntryCreateRequestJournalEntry: [
      el('OriginalReferenceDocumentType', 'BusinessTransactionDocumentTypeCode', 1, 5),
      el('OriginalReferenceDocument', 'ReferenceDocumentID', 0, 20),
      el('OriginalReferenceDocumentLogicalSystem', 'OriginalReferenceDocumentLogicalSystem', 0, 10),
      el('BusinessTransactionType', 'AccountingBusinessTransactionTypeCode', 1, 4),
      el('AccountingDocumentType', 'AccountingDocumentTypeCode', 1, 5),
      el('DocumentReferenceID', 'DocumentReferenceID', 0, 16),
      el('DocumentHeaderText', 'DocumentHeaderText', 0, 25),
      el('CreatedByUser', 'CreatedByUser', 1, 12),
      el('CompanyCode', 'CompanyCodeID', 1, 4),
      el('DocumentDate', 'Date', 1),
      el('PostingDate', 'Date', 1),
      el('Item', ITEM, 0, undefined, true),
      el('CreditorItem', CREDITOR_ITEM, 0, undefined, true),
      el('ProductTaxItem', TAX_ITEM, 0, undefined, true),
    ],
    [ITEM]: [
      el('ReferenceDocumentItem', 'BusinessTransactionDocumentItemID', 0, 10),
      el('GLAccount', 'ChartOfAccountsItemCode', 1, 10),
      el('AmountInTransactionCurrency', 'Amount', 1),
      el('DebitCreditCode', 'DebitCreditCode', 0, 1),
      el('DocumentItemText', 'DocumentItemText', 0, 50),
      el('AssignmentReference', 'AssignmentReference', 0, 18),
      el('Tax', 'JournalEntryCreateRequestJournalEntryTaxDetails', 0),
      el('AccountAssignment', 'JournalEntryCreateRequestJournalEntryItemAccountAssignment', 0),
    ],
    JournalEntryCreateRequestJournalEntryTaxDetails: [el('TaxCode', 'ProductTaxationCharacteristicsCode', 1, 4)],
    JournalEntryCreateRequestJournalEntryItemAccountAssignment: [
      el('CostCenter', 'CostCentreID', 0, 10),
      el('WBSElement', 'WBSElement', 0, 24),
    ],
    [CREDITOR_ITEM]: [
      el('ReferenceDocumentItem', 'BusinessTransactionDocumentItemID', 1, 10),
      el('Creditor', 'BusinessPartnerInternalID', 1, 10),
      el('AmountInTransactionCurrency', 'Amount', 1),
      el('DebitCreditCode', 'DebitCreditCode', 0, 1),
      el('DocumentItemText', 'DocumentItemText', 0, 50),
      el('AssignmentReference', 'AssignmentReference', 0, 18),
    ],
    [TAX_ITEM]: [
      el('ReferenceDocumentItem', 'BusinessTransactionDocumentItemID', 0, 10),
      el('TaxCode', 'ProductTaxationCharacteristicsCode', 1, 4),
      el('AmountInTransactionCurrency', 'Amount', 1),
      el('DebitCreditCode', 'DebitCreditCode', 0, 1),
      el('TaxBaseAmountInTransCrcy', 'Amount', 1),
    ],
    JournalEntryCreateConfirmationBulkMessage: [
      el('MessageHeader', 'BusinessDocumentMessageHeader', 1),
      el('JournalEntryCreateConfirmation', 'JournalEntryCreateConfirmationMessage', 0, undefined, true),
      el('Log', 'Log', 1),
    ],
    JournalEntryCreateConfirmationMessage: [
      el('MessageHeader', 'BusinessDocumentMessageHeader', 1),
      el('JournalEntryCreateConfirmation', 'JournalEntryCreateConfirmationJournalEntry', 0),
      el('Log', 'Log', 0),
    ],
    JournalEntryCreateConfirmationJournalEntry: [
      el('AccountingDocument', 'AccountingDocument', 1, 10),
      el('CompanyCode', 'CompanyCodeID', 1, 4),
      el('FiscalYear', 'FiscalYearID', 1, 4),
    ],
    Log: [el('MaximumLogItemSeverityCode', 'LogItemSeverityCode', 0, 1), el('Item', 'LogItem', 0, undefined, true)],
    LogItem: [
      el('TypeID', 'LogItemTypeID', 0, 40),
      el('SeverityCode', 'LogItemSeverityCode', 0, 1),
      el('Note', 'LogItemNote', 1, 200),
    ],
  } satisfies Readonly<Record<string, readonly ElementFact[]>>,
} as const;

export type JournalEntrySequence = keyof typeof JOURNAL_ENTRY_SOAP_FACTS.sequences;

const SEQUENCES: Readonly<Record<string, readonly ElementFact[]>> = JOURNAL_ENTRY_SOAP_FACTS.sequences;

/** The kept sequence of an XSD complex type, or undefined when none is kept for it. */
export function sequenceOf(typeName: string): readonly ElementFact[] | undefined {
  return SEQUENCES[typeName];
}
