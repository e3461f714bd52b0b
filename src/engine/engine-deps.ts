/** What the engine's parts share: the store, the flows, the owners, policies and the clock. */
import type { Store } from '../store/port.js';
import type { BackoffPolicy } from './backoff.js';
import type { ExceptionOwners } from './exceptions/classification.js';
import type { FlowRegistry } from './flow-registry.js';
import type { RecordProtection } from './record-protection.js';

export interface EngineLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export const silentLogger: EngineLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface EngineSettings {
  readonly leaseMs: number;
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
  readonly pollIntervalMs: number;
  readonly concurrency: number;
  readonly dispatchBatch: number;
}

export const defaultEngineSettings: EngineSettings = {
  leaseMs: 30_000,
  maxAttempts: 8,
  backoff: { baseMs: 1_000, capMs: 5 * 60_000 },
  pollIntervalMs: 250,
  concurrency: 64,
  dispatchBatch: 200,
};

export interface StepObservation {
  readonly flow: string;
  readonly step: string;
  readonly status: 'succeeded' | 'retrying' | 'failed';
  readonly durationMs: number;
  readonly exceptionClass?: string;
}

export interface EngineDeps {
  readonly store: Store;
  readonly flows: FlowRegistry;
  readonly owners: ExceptionOwners;
  readonly settings: EngineSettings;
  readonly logger: EngineLogger;
  readonly now: () => number;
  readonly observe?: (observation: StepObservation) => void;
  /** True while a system's connector is paused; its pollers skip. */
  readonly isSystemPaused?: (system: string) => Promise<boolean>;
  /** Card-number masking and sealing of stored payloads (none by default; the app wires them). */
  readonly protection: RecordProtection;
}
