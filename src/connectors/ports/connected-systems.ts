/** The configured systems by the role they play for the flows, each port bound to its system name. */
import type { DirectoryPort } from './directory-port.js';
import type { ErpPort } from './erp-port.js';
import type { ExpensePort } from './expense-port.js';
import type { ProcurementPort } from './procurement-port.js';

export interface Bound<P> {
  /** The configured system name: what events are recorded under and refs are keyed by. */
  readonly system: string;
  readonly port: P;
}

export interface Connectors {
  readonly erp?: Bound<ErpPort>;
  readonly procurement?: Bound<ProcurementPort>;
  readonly expense?: Bound<ExpensePort>;
  readonly directory?: Bound<DirectoryPort>;
}
