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

/** What one check found: the differences (none when the fact holds) and, optionally, a note for people. */
export type CheckOutcome = readonly string[] | { readonly differences: readonly string[]; readonly note?: string };

const LISTED = 5;

/**
 * Runs one check as a finding: it holds when `run` finds no difference; the first few differences
 * are listed (with how many more); a check that could not run is a difference naming why.
 */
export async function checkFinding(check: string, run: () => Promise<CheckOutcome>): Promise<ContractFinding> {
  try {
    const outcome = await run();
    const { differences, note } = Array.isArray(outcome)
      ? { differences: outcome as readonly string[], note: undefined }
      : (outcome as { readonly differences: readonly string[]; readonly note?: string });
    if (differences.length === 0) return note === undefined ? { check, ok: true } : { check, ok: true, detail: note };
    const more = differences.length > LISTED ? `; and ${differences.length - LISTED} more` : '';
    return { check, ok: false, detail: differences.slice(0, LISTED).join('; ') + more };
  } catch (error) {
    return { check, ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
