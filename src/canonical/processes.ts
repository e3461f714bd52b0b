/**
 * The business processes by name: each is a flow, and runs, exceptions, KPIs, process policies
 * (config `processes:`) and reconciliation are keyed by these names.
 */
export const MASTER_DATA_FLOW = 'master-data-publishing';
export const SUPPLIER_ONBOARDING = 'supplier-onboarding';
export const SUPPLIER_PAYMENT_BLOCK = 'supplier-payment-block';
export const EXPENSE_POSTING_FLOW = 'expense-posting';
export const CASH_ADVANCE_POSTING_FLOW = 'cash-advance-posting';
export const INVOICE_POSTING = 'invoice-posting';
export const PAYMENT_STATUS = 'payment-status';
export const PERIOD_END_ACCRUAL = 'period-end-accrual';
/** Company card charges the card feed reports, kept until a report carries them (accrued meanwhile). */
export const CARD_TRANSACTION_FLOW = 'card-transaction';
/** The identity map's entity type linking a card charge to the expense report that carries it. */
export const CARD_ON_REPORT = 'card_transaction';
export const ECHO_FLOW = 'echo';
