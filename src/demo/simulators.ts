/**
 * The vendor simulators by system name, each started the same way: on its own port, answering its
 * URL and the demo credentials a connector needs. `ledgerlink simulate` and the demo use this.
 */
import { startBcSimulator } from '../connectors/business-central/simulator/bc-simulator.js';
import { startConcurSimulator } from '../connectors/concur/simulator/concur-simulator.js';
import { startCoupaSimulator } from '../connectors/coupa/simulator/coupa-simulator.js';
import { DEMO_USER, startSapSimulator } from '../connectors/sap-s4hana/simulator/sap-simulator.js';
import { startScimSimulator } from '../connectors/scim/simulator/scim-simulator.js';
import { samplesDatedTo } from './demo-documents.js';

/** `bc`: the second ERP (Business Central), holding the demo's third legal entity. */
export const simulatorNames = ['erp', 'procurement', 'expense', 'directory', 'bc'] as const;
export type SimulatorName = (typeof simulatorNames)[number];

export interface RunningSimulator {
  readonly name: SimulatorName;
  /** What the simulator imitates. */
  readonly vendor: string;
  readonly url: string;
  readonly credentials: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export interface SimulatorOptions {
  /** The demo: the expense platform's published samples dated this day (YYYY-MM-DD) instead of as published. */
  readonly samplesDatedTo?: string;
}

type Starter = (port: number, host: string, options: SimulatorOptions) => Promise<RunningSimulator>;

const starters: Readonly<Record<SimulatorName, Starter>> = {
  erp: async (port, host) => {
    const started = await startSapSimulator(port, host);
    return {
      name: 'erp',
      vendor: 'SAP S/4HANA Cloud (OData v2, SOAP journal entries)',
      url: started.url,
      credentials: { user: DEMO_USER.user, password: DEMO_USER.password },
      stop: started.stop,
    };
  },
  procurement: async (port, host) => {
    const started = await startCoupaSimulator(port, host);
    return {
      name: 'procurement',
      vendor: 'Coupa Core API',
      url: started.url,
      credentials: started.credentials,
      stop: () => started.simulator.stop(),
    };
  },
  expense: async (port, host, options) => {
    const started = await startConcurSimulator({
      port,
      host,
      ...(options.samplesDatedTo === undefined ? {} : { seedDocuments: samplesDatedTo(options.samplesDatedTo) }),
    });
    return {
      name: 'expense',
      vendor: 'SAP Concur Financial Integration Service v4',
      url: started.url,
      credentials: { ...started.credentials, scopes: started.credentials.scopes.join(' ') },
      stop: started.stop,
    };
  },
  directory: async (port, host) => {
    const started = await startScimSimulator(port, host);
    return {
      name: 'directory',
      vendor: 'SCIM 2.0',
      url: started.simulator.url,
      credentials: started.credentials,
      stop: () => started.simulator.stop(),
    };
  },
  bc: async (port, host) => {
    const started = await startBcSimulator(port, host);
    return {
      name: 'bc',
      vendor: 'Microsoft Dynamics 365 Business Central (API v2.0)',
      url: started.url,
      credentials: { ...started.credentials, apiUrl: started.apiUrl, tokenUrl: started.tokenUrl },
      stop: started.stop,
    };
  },
};

export function isSimulatorName(value: string): value is SimulatorName {
  return (simulatorNames as readonly string[]).includes(value);
}

/** Starts the named simulators (all when none is named); stops those already started if one fails. */
export async function startSimulators(
  names: readonly SimulatorName[],
  host = '127.0.0.1',
  basePort = 0,
  options: SimulatorOptions = {},
): Promise<RunningSimulator[]> {
  const running: RunningSimulator[] = [];
  try {
    for (const [i, name] of (names.length === 0 ? simulatorNames : names).entries()) {
      running.push(await starters[name](basePort === 0 ? 0 : basePort + i, host, options));
    }
  } catch (error) {
    await Promise.all(running.map((s) => s.stop()));
    throw error;
  }
  return running;
}
