/**
 * Where Ledgerlink reads posted accounting document items: journal entry lookup by reference, cleared
 * vendor items (payment status) and cost object actuals.
 * Source: `API_OPLACCTGDOCITEMCUBE_SRV.edmx`. `A_OperationalAcctgDocItemCube` is keyed by company code,
 * fiscal year, accounting document and item (String(3)) and carries clearing (`ClearingDate`,
 * `ClearingAccountingDocument`, `IsCleared`), `Supplier` and `DocumentReferenceID`; WBS elements only as
 * `WBSElementInternalID`. (`A_JournalEntryItemBasic` of API_JOURNALENTRYITEMBASIC_SRV has none of
 * AccountingDocument, clearing or Supplier, so it is not used.)
 */
import { bool, date, dec, KEY, str, type ODataServiceFact } from './odata-fact-types.js';

export const ACCOUNTING_ITEM_FACTS: ODataServiceFact = {
  artifact: 'API_OPLACCTGDOCITEMCUBE_SRV.edmx',
  namespace: 'API_OPLACCTGDOCITEMCUBE_SRV',
  entitySets: {
    A_OperationalAcctgDocItemCube: {
      entityType: 'API_OPLACCTGDOCITEMCUBE_SRV.A_OperationalAcctgDocItemCubeType',
      creatable: false,
      updatable: false,
      deletable: false,
      properties: {
        CompanyCode: str(4, KEY),
        FiscalYear: str(4, KEY),
        AccountingDocument: str(10, KEY),
        AccountingDocumentItem: str(3, KEY),
        ClearingDate: date(0),
        ClearingAccountingDocument: str(10),
        ClearingDocFiscalYear: str(4),
        IsCleared: bool(),
        FinancialAccountType: str(1),
        DebitCreditCode: str(1),
        TaxCode: str(2),
        DocumentItemText: str(50),
        CostCenter: str(10),
        GLAccount: str(10),
        Supplier: str(10),
        WBSElementInternalID: str(8),
        FiscalPeriod: str(3),
        PostingDate: date(0),
        DocumentDate: date(0),
        AccountingDocumentType: str(2),
        TransactionCurrency: str(5),
        AmountInTransactionCurrency: dec(24, 3),
        DocumentReferenceID: str(16),
        OriginalReferenceDocument: str(20),
        IsReversal: bool(),
        IsReversed: bool(),
      },
    },
  },
};
