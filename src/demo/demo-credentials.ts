/**
 * The demo configuration references credentials by environment variable (ledgerlink.demo.yaml). The
 * demo fills those variables with the simulators' demo credentials when they are not set, so the
 * same file works for the demo and, with the variables set, against real tenants.
 */
import type { RunningSimulator, SimulatorName } from './simulators.js';

/** Variable → which simulator credential it carries. */
const DEMO_VARIABLES: Readonly<Record<string, readonly [SimulatorName, string]>> = {
  LEDGERLINK_DEMO_ERP_USER: ['erp', 'user'],
  LEDGERLINK_DEMO_ERP_PASSWORD: ['erp', 'password'],
  LEDGERLINK_DEMO_PROCUREMENT_CLIENT_ID: ['procurement', 'clientId'],
  LEDGERLINK_DEMO_PROCUREMENT_CLIENT_SECRET: ['procurement', 'clientSecret'],
  LEDGERLINK_DEMO_EXPENSE_CLIENT_ID: ['expense', 'clientId'],
  LEDGERLINK_DEMO_EXPENSE_CLIENT_SECRET: ['expense', 'clientSecret'],
  LEDGERLINK_DEMO_EXPENSE_COMPANY_UUID: ['expense', 'companyUuid'],
  LEDGERLINK_DEMO_EXPENSE_COMPANY_TOKEN: ['expense', 'companyToken'],
  LEDGERLINK_DEMO_DIRECTORY_TOKEN: ['directory', 'token'],
  LEDGERLINK_DEMO_BC_CLIENT_ID: ['bc', 'clientId'],
  LEDGERLINK_DEMO_BC_CLIENT_SECRET: ['bc', 'clientSecret'],
};

/** Sets each unset demo variable from the running simulators; answers the names it set. */
export function provideDemoCredentials(
  simulators: readonly RunningSimulator[],
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const byName = new Map(simulators.map((s) => [s.name, s]));
  const set: string[] = [];
  for (const [variable, [simulator, key]] of Object.entries(DEMO_VARIABLES)) {
    if (env[variable] !== undefined && env[variable] !== '') continue;
    const value = byName.get(simulator)?.credentials[key];
    if (value === undefined) continue;
    env[variable] = value;
    set.push(variable);
  }
  return set;
}

/** The base URL the hub's connector needs for a simulator (the SCIM root and Business Central's API root are sub-paths). */
export function connectorBaseUrl(simulator: RunningSimulator): string {
  return simulator.credentials['scimUrl'] ?? simulator.credentials['apiUrl'] ?? simulator.url;
}
