/**
 * The Business Central simulator for hub tests, and the `systems` entry that points a
 * `business-central` ERP at it, holding the given legal entities (company code → company name).
 * Credentials go through environment variables, as a user's configuration would reference them.
 */
import { randomBytes } from 'node:crypto';
import { startBcSimulator } from '../../src/connectors/business-central/simulator/bc-simulator.js';
import type { SimDocument } from './estate.js';

export const DEMO_TAX_RATES = { V0: '0', V1: '19', V2: '7', VP: '19', I0: '0', G1: '20', N0: '0', N1: '21', N2: '9' };

export interface BusinessCentralEstate {
  readonly url: string;
  /** The `systems` entry for the hub's configuration. */
  system(companies: Readonly<Record<string, string>>): Record<string, unknown>;
  seed(body: unknown): Promise<void>;
  documents(reference?: string): Promise<SimDocument[]>;
  stop(): Promise<void>;
}

export async function startBusinessCentral(): Promise<BusinessCentralEstate> {
  const sim = await startBcSimulator();
  const tag = randomBytes(4).toString('hex').toUpperCase();
  const ref = (key: string, value: string): { env: string } => {
    const name = `LL_TEST_${tag}_BC_${key}`;
    process.env[name] = value;
    return { env: name };
  };
  const credentials = {
    clientId: ref('ID', sim.credentials.clientId),
    clientSecret: ref('SECRET', sim.credentials.clientSecret),
  };
  return {
    url: sim.url,
    system: (companies) => ({
      kind: 'business-central',
      baseUrl: sim.apiUrl,
      credentials,
      options: { tokenUrl: sim.tokenUrl, companies, taxRates: DEMO_TAX_RATES, rateLimit: false },
    }),
    async seed(body) {
      const response = await fetch(`${sim.url}/_sim/seed`, { method: 'POST', body: JSON.stringify(body) });
      if (!response.ok)
        throw new Error(`business central /_sim/seed: HTTP ${response.status} ${await response.text()}`);
    },
    async documents(reference) {
      const query = reference === undefined ? '' : `?reference=${encodeURIComponent(reference)}`;
      return (await (await fetch(`${sim.url}/_sim/documents${query}`)).json()) as SimDocument[];
    },
    stop: () => sim.stop(),
  };
}
