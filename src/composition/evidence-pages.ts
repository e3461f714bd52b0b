/**
 * The source documents' pages that the approval evidence links point to, from the configuration:
 * procurement (Coupa) invoices at `<baseUrl>/invoices/<id>`; the expense platform's report and
 * receipt pages from the expense system's `options.reportUrlTemplate` (`{reportId}`) and
 * `options.receiptUrlTemplate` (`{receiptId}`). A template is an absolute http(s) URL, or a path
 * starting with `/` taken relative to the system's `baseUrl` (so the demo's links follow the
 * simulators wherever they run). Values are URL-encoded into the template.
 */
import { LedgerlinkError } from '../canonical/errors.js';
import type { SystemConfig } from '../config/load-config.js';
import type { ExpensePages } from '../flows/evidence/posting-evidence.js';

export function expandTemplate(template: string, placeholder: string, value: string): string {
  return template.split(`{${placeholder}}`).join(encodeURIComponent(value));
}

function templateOf(
  name: string,
  system: SystemConfig,
  key: string,
  placeholder: string,
): ((value: string) => string) | undefined {
  const template = system.options?.[key];
  if (template === undefined) return undefined;
  const path = `systems.${name}.options.${key}`;
  const refuse = (message: string): never => {
    throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', `${path} ${message}`, { details: [{ path, message }] });
  };
  if (typeof template !== 'string' || !template.includes(`{${placeholder}}`))
    return refuse(`must be a URL template containing {${placeholder}}`);
  if (/^https?:\/\//i.test(template)) return (value) => expandTemplate(template, placeholder, value);
  if (!template.startsWith('/')) return refuse('must be an absolute http(s) URL or a path starting with /');
  const base = system.baseUrl;
  if (base === undefined) return refuse(`is a path, but systems.${name} has no baseUrl to take it relative to`);
  return (value) => `${base.replace(/\/+$/, '')}${expandTemplate(template, placeholder, value)}`;
}

/** The expense platform's report and receipt pages, where configured. */
export function expensePages(name: string, system: SystemConfig): ExpensePages {
  const reportUrl = templateOf(name, system, 'reportUrlTemplate', 'reportId');
  const receiptUrl = templateOf(name, system, 'receiptUrlTemplate', 'receiptId');
  return { ...(reportUrl === undefined ? {} : { reportUrl }), ...(receiptUrl === undefined ? {} : { receiptUrl }) };
}

/** A Coupa invoice's page in the procurement suite. */
export function invoicePageUrl(system: SystemConfig): ((invoiceId: string) => string) | undefined {
  const base = system.baseUrl;
  return base === undefined
    ? undefined
    : (invoiceId) => `${base.replace(/\/+$/, '')}/invoices/${encodeURIComponent(invoiceId)}`;
}
