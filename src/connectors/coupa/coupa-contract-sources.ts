/**
 * The Coupa artifacts the contract facts come from (file names under `shared/reference/contracts/coupa/`,
 * see that folder's README.md) and the shape of a model fact.
 */

export const CORE = 'R39_Core_Platform_API.json';
export const INVOICING = 'R39_Invoicing_API.json';
export const PURCHASING = 'R39_Purchasing_API.json';
export const QUERYING_PAGE = 'compass-pages/0014-Querying_Options.md';
export const SAMPLES_PAGE = 'compass-pages/0015-Sample_Requests_Responses_-_XML_vs_JSON.md';
export const SPECIAL_ACTIONS_PAGE = 'compass-pages/0016-Special_Actions_and_API_Notes.md';
export const OIDC_CLIENTS_PAGE = 'compass-pages/0018-OpenID_Connect_Clients.md';
export const INTEGRATION_ERROR_PAGE = 'compass-pages/0201-Integration_Error_API.md';
export const INVOICES_PAGE = 'compass-pages/0205-Invoices_API_(_invoices).md';
export const PURCHASE_ORDERS_PAGE = 'compass-pages/0233-Purchase_Orders_API_(_purchase_orders).md';

export type CoupaOpenApiFile = typeof CORE | typeof INVOICING | typeof PURCHASING;

/**
 * One model (an OpenAPI `definitions` entry): its `required` list and the fields we rely on, each in
 * the notation `<type>` or `<type>:<format>`, a model name, or `<Model>[]`, then ` ro` (read-only)
 * and ` enum(a|b)` when the file says so.
 */
export interface ModelFact {
  readonly source: CoupaOpenApiFile;
  readonly required: readonly string[];
  readonly fields: Readonly<Record<string, string>>;
}
