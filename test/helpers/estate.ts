/**
 * The four vendor simulators on real ports with the `systems` section of ledgerlink.yaml that points
 * the hub's connectors at them. Credentials go through environment variables (unique per estate), as
 * a user's configuration would reference them.
 */
import { randomBytes } from 'node:crypto';
import { startSimulators, type RunningSimulator, type SimulatorName } from '../../src/demo/simulators.js';

export interface Estate {
  readonly simulators: Readonly<Record<SimulatorName, RunningSimulator>>;
  /** The `systems` section: erp (sap-s4hana), procurement (coupa), expense (concur), directory (scim). */
  readonly systems: Record<string, unknown>;
  /** POSTs JSON to a simulator's test-only surface, e.g. `sim('erp', '/_sim/faults', {...})`. */
  sim(name: SimulatorName, path: string, body?: unknown): Promise<unknown>;
  /** GETs `/_sim/documents` of a simulator, optionally filtered by reference. */
  documents(name: SimulatorName, reference?: string): Promise<SimDocument[]>;
  stop(): Promise<void>;
}

export interface SimDocument {
  readonly kind: string;
  readonly id: string;
  readonly reference: string | null;
  readonly companyCode?: string;
  readonly currency?: string;
  readonly createdAt: string;
  readonly lines: readonly {
    account: string;
    side: 'D' | 'C';
    amount: string;
    costCenter?: string;
    project?: string;
    taxCode?: string;
    partner?: string;
  }[];
  readonly raw: unknown;
  /** Links attached to the document after it was created (ERP URL attachments). */
  readonly attachments?: readonly {
    id: string;
    url?: string;
    description: string;
    mediaType?: string;
    createdBy?: string;
    createdAt: string;
  }[];
}

export async function startEstate(): Promise<Estate> {
  const running = await startSimulators([]);
  const byName = Object.fromEntries(running.map((s) => [s.name, s])) as Record<SimulatorName, RunningSimulator>;
  const tag = randomBytes(4).toString('hex').toUpperCase();
  const ref = (system: string, key: string, value: string | undefined): { env: string } => {
    const name = `LL_TEST_${tag}_${system}_${key}`.toUpperCase();
    process.env[name] = value ?? '';
    return { env: name };
  };
  const erp = byName.erp.credentials;
  const procurement = byName.procurement.credentials;
  const expense = byName.expense.credentials;
  const directory = byName.directory.credentials;
  const systems: Record<string, unknown> = {
    erp: {
      kind: 'sap-s4hana',
      baseUrl: byName.erp.url,
      credentials: { user: ref('erp', 'user', erp['user']), password: ref('erp', 'password', erp['password']) },
    },
    procurement: {
      kind: 'coupa',
      baseUrl: byName.procurement.url,
      credentials: {
        clientId: ref('procurement', 'id', procurement['clientId']),
        clientSecret: ref('procurement', 'secret', procurement['clientSecret']),
      },
    },
    expense: {
      kind: 'concur',
      baseUrl: byName.expense.url,
      credentials: {
        clientId: ref('expense', 'id', expense['clientId']),
        clientSecret: ref('expense', 'secret', expense['clientSecret']),
        companyUuid: ref('expense', 'company', expense['companyUuid']),
        companyToken: ref('expense', 'token', expense['companyToken']),
      },
      // The simulator's stand-ins for the report and receipt pages, linked to the ERP postings.
      options: { reportUrlTemplate: '/ui/reports/{reportId}', receiptUrlTemplate: '/ui/receipts/{receiptId}' },
    },
    directory: {
      kind: 'scim',
      baseUrl: directory['scimUrl'],
      credentials: { token: ref('directory', 'token', directory['token']) },
    },
    echo: { kind: 'echo' },
  };
  const post = async (name: SimulatorName, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${byName[name].url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    if (!response.ok) throw new Error(`${name} ${path}: HTTP ${response.status} ${await response.text()}`);
    const text = await response.text();
    return text === '' ? null : (JSON.parse(text) as unknown);
  };
  return {
    simulators: byName,
    systems,
    sim: post,
    documents: async (name, reference) => {
      const query = reference === undefined ? '' : `?reference=${encodeURIComponent(reference)}`;
      const response = await fetch(`${byName[name].url}/_sim/documents${query}`);
      if (!response.ok) throw new Error(`${name} /_sim/documents: HTTP ${response.status}`);
      return (await response.json()) as SimDocument[];
    },
    stop: async () => {
      await Promise.all(running.map((s) => s.stop()));
    },
  };
}
