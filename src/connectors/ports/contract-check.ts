/**
 * A read-only check of a configured tenant against the facts a connector relies on
 * (`ledgerlink connectors check`): each finding names what was checked, whether it holds, and what
 * differs. A check never writes to the tenant.
 */
export interface ContractFinding {
  /** What was checked, e.g. `$metadata API_SUPPLIERINVOICE_PROCESS_SRV` or `GET /Users answer shape`. */
  readonly check: string;
  readonly ok: boolean;
  /** What differs (or what was confirmed), for people. */
  readonly detail?: string;
}

/** Implemented by connectors that can check their tenant. */
export interface ContractCheckable {
  checkContract(signal?: AbortSignal): Promise<readonly ContractFinding[]>;
}
