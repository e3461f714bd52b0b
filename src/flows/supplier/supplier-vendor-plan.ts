/**
 * The ERP vendor a new supplier becomes: its normalised name, country, VAT or national tax number and
 * bank accounts, extended to the company codes configured for its country, with the reconciliation
 * account and the payment terms configured per company code, country or "*". Pure; no I/O.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { Supplier } from '../../canonical/model/index.js';
import type { NewVendor } from '../../connectors/port.js';
import type { NormalisedSupplier } from '../../validation/supplier-normalise.js';

export interface VendorPlanSettings {
  /** Company codes by the supplier's country, "*" as fallback. */
  readonly companyCodes?: Readonly<Record<string, readonly string[]>>;
  readonly reconciliationAccount?: string;
  /** Payment terms by company code or country, "*" as fallback; the company code wins. */
  readonly paymentTerms?: Readonly<Record<string, string>>;
}

function configurationGap(message: string, path: string): LedgerlinkError {
  // A person fixes the configuration and retries: a validation exception, not a transient one.
  return Object.assign(new LedgerlinkError('LL_ERR_CONFIG_INVALID', message, { details: [{ path, message }] }), {
    exceptionClass: 'validation',
  });
}

export function companyCodesFor(country: string | undefined, settings: VendorPlanSettings): readonly string[] {
  const codes = (country === undefined ? undefined : settings.companyCodes?.[country]) ?? settings.companyCodes?.['*'];
  if (codes === undefined || codes.length === 0) {
    throw configurationGap(
      `No company codes are configured for new vendors from ${country ?? 'a supplier without a country'}; add flows.supplierOnboarding.companyCodes.${country ?? '"*"'} (or "*"), then retry`,
      'flows.supplierOnboarding.companyCodes',
    );
  }
  return codes;
}

export function paymentTermsFor(
  companyCode: string,
  country: string | undefined,
  settings: VendorPlanSettings,
): string | undefined {
  const terms = settings.paymentTerms;
  if (terms === undefined) return undefined;
  return terms[companyCode] ?? (country === undefined ? undefined : terms[country]) ?? terms['*'];
}

export function newVendorFor(
  supplier: Supplier,
  normalised: NormalisedSupplier,
  settings: VendorPlanSettings,
  reference: string,
): NewVendor {
  const country = normalised.country ?? supplier.address.country;
  const reconciliationAccount = settings.reconciliationAccount;
  if (reconciliationAccount === undefined) {
    throw configurationGap(
      'No reconciliation account is configured for new vendors; set flows.supplierOnboarding.reconciliationAccount, then retry',
      'flows.supplierOnboarding.reconciliationAccount',
    );
  }
  const companyCodes = companyCodesFor(country, settings).map((companyCode) => {
    const paymentTerms = paymentTermsFor(companyCode, country, settings);
    return { companyCode, reconciliationAccount, ...(paymentTerms === undefined ? {} : { paymentTerms }) };
  });
  // A VAT registration goes to the business partner's tax numbers; any other tax id to TaxNumber1.
  const tax = supplier.taxNumbers.find((t) => t.kind === 'vat') ?? supplier.taxNumbers[0];
  const vat = tax?.kind === 'vat' ? (normalised.taxNumber ?? tax.value) : undefined;
  const national = tax !== undefined && tax.kind !== 'vat' ? tax.value : undefined;
  const primary = supplier.bankAccounts.find((b) => b.primary) ?? supplier.bankAccounts[0];
  const bankAccounts = supplier.bankAccounts
    .filter((b) => b.iban !== undefined)
    .map((b) => {
      // The checked IBAN and BIC for the primary account, the others as procurement holds them.
      const iban = b === primary && normalised.iban !== undefined ? normalised.iban : b.iban!;
      const bic = b === primary ? (normalised.bic ?? b.bic) : b.bic;
      return { iban, ...(bic === undefined ? {} : { bic }), holderName: b.holderName };
    });
  return {
    reference,
    name: normalised.name,
    country,
    ...(vat === undefined ? {} : { vatNumber: vat }),
    ...(national === undefined ? {} : { taxNumber: national }),
    bankAccounts,
    companyCodes,
  };
}
