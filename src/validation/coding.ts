/**
 * The coding check: may this combination of company code, GL account, cost objects and tax code be
 * posted on this date? Serves `POST /v1/validate/coding` and the validate step of every posting flow.
 *
 * Every problem found is reported at once (not just the first), each with a message a finance user
 * can act on. A foreign-currency posting is allowed by ERPs, so a currency other than the company
 * code's is only a warning (`currency_not_entity_currency`); `valid` is false only for errors.
 */
import { isKnownCurrency } from '../canonical/currency.js';
import type { CostCenter, LegalEntity, Project, TaxCode } from '../canonical/model/master-data.js';
import { checkCodingRules } from './coding-rules.js';
import { isIsoDate } from './dimension-key.js';
import { versionOn, type Dated, type MasterDataIndex } from './master-data-index.js';
import type { PeriodCalendar } from './period-calendar.js';
import { hasNoErrors, issue, type ValidationIssue } from './validation-issue.js';

export interface CodingInput {
  /** Legal entity as its company code. */
  readonly entity: string;
  readonly account: string;
  readonly costCenter?: string | undefined;
  readonly project?: string | undefined;
  readonly taxCode?: string | undefined;
  /** Posting date, YYYY-MM-DD. */
  readonly date: string;
  /** Document (transaction) currency. */
  readonly currency?: string | undefined;
}

export interface CodingResult {
  readonly valid: boolean;
  readonly issues: readonly ValidationIssue[];
}

function given(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function elsewhere(companyCodes: readonly string[]): string {
  return companyCodes.length === 1
    ? `company code ${companyCodes[0] ?? ''}`
    : `company codes ${companyCodes.join(', ')}`;
}

/** Why no version is in force on `date`: expired, not yet valid, or between two intervals. */
function validityMessage(label: string, versions: readonly Dated[], date: string, cc: string, choose: string): string {
  const ended = versions.filter((v) => v.validTo !== undefined && v.validTo < date).map((v) => v.validTo as string);
  const starts = versions
    .filter((v) => v.validFrom !== undefined && v.validFrom > date)
    .map((v) => v.validFrom as string);
  const lastEnd = ended.sort().at(-1);
  const firstStart = starts.sort()[0];
  if (lastEnd !== undefined && firstStart === undefined) {
    return `${label} expired on ${lastEnd} (not valid on ${date}); ${choose} for company code ${cc}`;
  }
  if (firstStart !== undefined && lastEnd === undefined) {
    return `${label} is valid only from ${firstStart} (not on ${date}); post on or after that date or ${choose} for company code ${cc}`;
  }
  return `${label} is not valid on ${date} (valid again from ${firstStart ?? '?'}, last valid ${lastEnd ?? '?'}); ${choose} for company code ${cc}`;
}

function checkCostCenter(
  index: MasterDataIndex,
  cc: string,
  code: string,
  date: string | undefined,
  out: ValidationIssue[],
): CostCenter | undefined {
  const versions = index.costCenters(cc, code);
  if (versions.length === 0) {
    const owners = index.costCenterCompanyCodes(code);
    out.push(
      owners.length > 0
        ? issue(
            'cost_center_other_entity',
            'costCenter',
            `Cost center ${code} belongs to ${elsewhere(owners)}, not ${cc}; choose a cost center of company code ${cc}`,
          )
        : issue(
            'cost_center_unknown',
            'costCenter',
            `Cost center ${code} does not exist in company code ${cc}; check the code or choose another cost center`,
          ),
    );
    return undefined;
  }
  const current = date === undefined ? versions.at(-1) : versionOn(versions, date);
  if (current === undefined && date !== undefined) {
    out.push(
      issue(
        'cost_center_not_valid_on_date',
        'costCenter',
        validityMessage(`Cost center ${code}`, versions, date, cc, 'choose a current cost center'),
      ),
    );
    return versions.at(-1);
  }
  if (current?.blocked === true) {
    out.push(
      issue(
        'cost_center_blocked',
        'costCenter',
        `Cost center ${code} is blocked for postings in company code ${cc}; choose another cost center or ask controlling to unblock it`,
      ),
    );
  }
  return current;
}

function checkProject(
  index: MasterDataIndex,
  cc: string,
  code: string,
  date: string | undefined,
  out: ValidationIssue[],
): Project | undefined {
  const versions = index.projects(cc, code);
  if (versions.length === 0) {
    const owners = index.projectCompanyCodes(code);
    out.push(
      owners.length > 0
        ? issue(
            'project_other_entity',
            'project',
            `Project ${code} belongs to ${elsewhere(owners)}, not ${cc}; choose a project of company code ${cc}`,
          )
        : issue(
            'project_unknown',
            'project',
            `Project (WBS element) ${code} does not exist in company code ${cc}; check the code or choose another project`,
          ),
    );
    return undefined;
  }
  const current = date === undefined ? versions.at(-1) : versionOn(versions, date);
  if (current === undefined && date !== undefined) {
    out.push(
      issue(
        'project_not_valid_on_date',
        'project',
        validityMessage(`Project ${code}`, versions, date, cc, 'choose a current project'),
      ),
    );
    return versions.at(-1);
  }
  if (current === undefined) return undefined;
  if (current.status === 'closed') {
    out.push(
      issue(
        'project_closed',
        'project',
        `Project ${code} is closed; choose an open project for company code ${cc} or ask the project controller to reopen it`,
      ),
    );
  } else if (current.status === 'planned') {
    out.push(
      issue(
        'project_not_released',
        'project',
        `Project ${code} is planned but not released for postings yet; ask the project controller to release it or choose another project`,
      ),
    );
  } else if (!current.postingAllowed) {
    out.push(
      issue(
        'project_not_postable',
        'project',
        `Project element ${code} does not accept postings (not an account assignment element); choose a postable WBS element below it`,
      ),
    );
  }
  return current;
}

function checkTaxCode(
  index: MasterDataIndex,
  entity: LegalEntity,
  code: string,
  date: string | undefined,
  out: ValidationIssue[],
): TaxCode | undefined {
  const cc = entity.companyCode;
  const versions = index.taxCodes(cc, code);
  if (versions.length === 0) {
    const foreign = index.taxCodesAnywhere(code).filter((t) => t.country !== entity.country);
    const countries = [...new Set(foreign.map((t) => t.country))].sort();
    out.push(
      countries.length > 0
        ? issue(
            'tax_code_other_country',
            'taxCode',
            `Tax code ${code} is a ${countries.join('/')} tax code; company code ${cc} posts ${entity.country} tax — choose a ${entity.country} tax code`,
          )
        : issue(
            'tax_code_unknown',
            'taxCode',
            `Tax code ${code} does not exist for company code ${cc}; choose one of its tax codes`,
          ),
    );
    return undefined;
  }
  const current = date === undefined ? versions.at(-1) : versionOn(versions, date);
  if (current === undefined && date !== undefined) {
    out.push(
      issue(
        'tax_code_not_valid_on_date',
        'taxCode',
        validityMessage(`Tax code ${code}`, versions, date, cc, 'choose the tax code in force'),
      ),
    );
    return versions.at(-1);
  }
  if (current !== undefined && current.country !== entity.country) {
    out.push(
      issue(
        'tax_code_other_country',
        'taxCode',
        `Tax code ${code} is a ${current.country} tax code; company code ${cc} is in ${entity.country} — choose a ${entity.country} tax code`,
      ),
    );
  }
  return current;
}

/** Checks one coding line against the master data and the period calendar. Never throws on bad data. */
export function validateCoding(input: CodingInput, index: MasterDataIndex, calendar: PeriodCalendar): CodingResult {
  const out: ValidationIssue[] = [];
  const cc = input.entity.trim();
  const entity = index.entity(cc);
  if (entity === undefined) {
    out.push(
      issue(
        'entity_unknown',
        'entity',
        `Company code ${cc === '' ? '(empty)' : cc} is not a legal entity the ERP publishes; check the company code`,
      ),
    );
    return { valid: false, issues: out };
  }
  if (!entity.active) {
    out.push(
      issue(
        'entity_inactive',
        'entity',
        `Company code ${cc} (${entity.name}) is inactive; post to an active company code`,
      ),
    );
  }
  const date = isIsoDate(input.date) ? input.date : undefined;
  if (date === undefined) {
    out.push(
      issue(
        'date_invalid',
        'date',
        `Posting date ${JSON.stringify(String(input.date).slice(0, 32))} is not a calendar date; use YYYY-MM-DD`,
      ),
    );
  }

  const accountNumber = input.account.trim();
  const account = index.account(cc, accountNumber);
  if (account === undefined) {
    const owners = index.accountCompanyCodes(accountNumber);
    out.push(
      owners.length > 0
        ? issue(
            'account_not_in_entity_chart',
            'account',
            `GL account ${accountNumber} is not set up for company code ${cc} (it exists in ${elsewhere(owners)}); ask the GL team to extend it or choose another account`,
          )
        : issue(
            'account_unknown',
            'account',
            `GL account ${accountNumber} does not exist in company code ${cc}; check the account number`,
          ),
    );
  } else if (account.blocked) {
    out.push(
      issue(
        'account_blocked',
        'account',
        `GL account ${accountNumber} (${account.name}) is blocked for posting in company code ${cc}; choose another account`,
      ),
    );
  } else if (!account.postingAllowed) {
    out.push(
      issue(
        'account_not_postable',
        'account',
        `GL account ${accountNumber} (${account.name}) is posted only by the ERP itself (e.g. a reconciliation account); choose an expense or balance sheet account`,
      ),
    );
  }

  const costCenterCode = given(input.costCenter);
  const projectCode = given(input.project);
  const taxCodeCode = given(input.taxCode);
  const costCenter = costCenterCode === undefined ? undefined : checkCostCenter(index, cc, costCenterCode, date, out);
  const project = projectCode === undefined ? undefined : checkProject(index, cc, projectCode, date, out);
  const taxCode = taxCodeCode === undefined ? undefined : checkTaxCode(index, entity, taxCodeCode, date, out);

  if (account?.requiresCostObject === true && costCenterCode === undefined && projectCode === undefined) {
    out.push(
      issue(
        'cost_object_required',
        'costCenter',
        `GL account ${accountNumber} needs a cost center or project; add one`,
      ),
    );
  }

  if (account !== undefined && date !== undefined) {
    out.push(
      ...checkCodingRules(index.codingRules(cc), {
        companyCode: cc,
        account: accountNumber,
        date,
        costCenter:
          costCenterCode === undefined
            ? undefined
            : { code: costCenterCode, ...(costCenter ? { id: costCenter.id } : {}) },
        project: projectCode === undefined ? undefined : { code: projectCode, ...(project ? { id: project.id } : {}) },
        taxCode: taxCodeCode === undefined ? undefined : { code: taxCodeCode, ...(taxCode ? { id: taxCode.id } : {}) },
      }),
    );
  }

  if (date !== undefined) {
    const period = calendar.periodStatus(cc, date.slice(0, 7));
    if (!period.open) {
      const reason = period.reason ?? `Period ${period.period} is closed for company code ${cc}`;
      out.push(
        issue(
          'period_closed',
          'date',
          `${reason}; choose a posting date in an open period or ask finance to reopen ${period.period}`,
        ),
      );
    }
  }

  const currency = given(input.currency);
  if (currency !== undefined) {
    if (!isKnownCurrency(currency)) {
      out.push(
        issue(
          'currency_unknown',
          'currency',
          `Currency ${currency} is not an ISO 4217 code; use a code such as ${entity.currency}`,
        ),
      );
    } else if (currency !== entity.currency) {
      out.push(
        issue(
          'currency_not_entity_currency',
          'currency',
          `Posting in ${currency} to company code ${cc} whose currency is ${entity.currency}; the ERP translates it at the posting date's rate`,
          'warning',
        ),
      );
    }
  }

  return { valid: hasNoErrors(out), issues: out };
}
