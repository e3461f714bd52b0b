/**
 * `ledgerlink connectors check`: every configured connector checks its tenant, read only, against
 * the facts it relies on. A connector that cannot be built (credentials missing) or whose check
 * fails to run is reported as a finding that does not hold, never thrown.
 */
import type { LedgerlinkConfig } from '../config/load-config.js';
import type { ContractCheckable, ContractFinding } from '../connectors/port.js';
import type { SecretResolver } from '../security/secret-resolver.js';
import { connectorsFromConfig } from './connectors-from-config.js';

export interface SystemCheckReport {
  readonly system: string;
  readonly kind: string;
  readonly role: string;
  readonly ok: boolean;
  readonly findings: readonly ContractFinding[];
}

function isCheckable(port: unknown): port is ContractCheckable {
  return (
    typeof port === 'object' &&
    port !== null &&
    typeof (port as Partial<ContractCheckable>).checkContract === 'function'
  );
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function checkConnectorContracts(
  config: LedgerlinkConfig,
  secrets?: SecretResolver,
  options: { readonly only?: string; readonly signal?: AbortSignal } = {},
): Promise<SystemCheckReport[]> {
  const connectors = await connectorsFromConfig(config, secrets);
  const reports: SystemCheckReport[] = [];
  for (const [role, bound] of Object.entries(connectors)) {
    if (bound === undefined || (options.only !== undefined && bound.system !== options.only)) continue;
    const kind = config.systems[bound.system]?.kind ?? 'unknown';
    let findings: readonly ContractFinding[];
    if (!isCheckable(bound.port))
      findings = [{ check: 'contract check', ok: false, detail: `the ${kind} connector has no contract check` }];
    else {
      try {
        findings = await bound.port.checkContract(options.signal);
      } catch (error) {
        findings = [{ check: 'contract check', ok: false, detail: `could not run: ${message(error)}` }];
      }
    }
    reports.push({ system: bound.system, kind, role, ok: findings.every((f) => f.ok), findings });
  }
  return reports;
}
