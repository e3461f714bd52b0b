/** Exception classes, their default owners (DESIGN.md section 7) and how a failure is classified. */
import { isLedgerlinkError, type ErrorCode } from '../../canonical/errors.js';
import type { Tx } from '../../store/port.js';
import { newId } from '../ids.js';
import { sealColumn, unprotected, type RecordProtection, type SensitiveDataMasker } from '../record-protection.js';

export const exceptionClasses = [
  'transient',
  'auth',
  'validation',
  'mapping',
  'business_rejection',
  'duplicate_suspect',
] as const;
export type ExceptionClass = (typeof exceptionClasses)[number];

export const defaultOwners: Readonly<Record<ExceptionClass, string>> = {
  transient: 'integration-ops',
  auth: 'integration-admin',
  validation: 'finance-ops',
  mapping: 'finance-systems',
  business_rejection: 'ap-team',
  duplicate_suspect: 'vendor-master',
};

/** Classes the engine retries on its own; the others wait for a person. */
export const retryableClasses: ReadonlySet<ExceptionClass> = new Set(['transient']);

const classByCode: Partial<Record<ErrorCode, ExceptionClass>> = {
  LL_ERR_REMOTE_TRANSIENT: 'transient',
  LL_ERR_STORE_UNAVAILABLE: 'transient',
  LL_ERR_REMOTE_AUTH: 'auth',
  // A refused connector URL is configuration the integration admin fixes; retrying cannot help.
  LL_ERR_CONNECTOR_URL_REFUSED: 'auth',
  LL_ERR_VALIDATION: 'validation',
  LL_ERR_POSTING_WAITING: 'validation',
  LL_ERR_RUN_KEY_INVALID: 'validation',
  LL_ERR_UNKNOWN_FLOW: 'validation',
  LL_ERR_MAPPING_NO_RULE: 'mapping',
  LL_ERR_MAPPING_INVALID: 'mapping',
  LL_ERR_MAPPING_TRANSFORM_FAILED: 'mapping',
  LL_ERR_DUPLICATE_SUSPECT: 'duplicate_suspect',
  LL_ERR_REMOTE_REJECTED: 'business_rejection',
  LL_ERR_JOURNAL_UNBALANCED: 'validation',
};

export interface ClassifiedFailure {
  readonly exceptionClass: ExceptionClass;
  readonly code: string;
  readonly message: string;
  readonly details: readonly unknown[];
  /** The remote's Retry-After, when it gave one. */
  readonly retryAfterMs: number | undefined;
}

/** Coded errors map by code (money and JSON codes are validation); anything else is transient. */
export function classifyFailure(error: unknown): ClassifiedFailure {
  const retryAfter = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  const retryAfterMs = typeof retryAfter === 'number' && Number.isFinite(retryAfter) ? retryAfter : undefined;
  if (isLedgerlinkError(error)) {
    const explicit = (error as { exceptionClass?: unknown }).exceptionClass;
    const byCode = classByCode[error.code] ?? (/^LL_ERR_(MONEY|JSON)_/.test(error.code) ? 'validation' : 'transient');
    const exceptionClass = isExceptionClass(explicit) ? explicit : byCode;
    return { exceptionClass, code: error.code, message: error.message, details: error.details, retryAfterMs };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { exceptionClass: 'transient', code: 'LL_ERR_INTERNAL', message, details: [], retryAfterMs };
}

export function isExceptionClass(value: unknown): value is ExceptionClass {
  return typeof value === 'string' && (exceptionClasses as readonly string[]).includes(value);
}

/** The exception policy of one business process (flow); the engine's own shape, filled from config. */
export interface ProcessPolicy {
  readonly owners?: Partial<Record<ExceptionClass, string>>;
  readonly slaMinutes?: Partial<Record<ExceptionClass, number>>;
  readonly transient?: { readonly maxAttempts?: number; readonly escalateAfterMinutes?: number };
}

export type ProcessPolicies = Readonly<Record<string, ProcessPolicy>>;

/** Owners per class (global defaults, overridden per process), SLAs, attempts and escalation per process. */
export class ExceptionOwners {
  private readonly owners: Record<ExceptionClass, string>;
  private readonly processes: ProcessPolicies;

  constructor(overrides: Partial<Record<ExceptionClass, string>> = {}, processes: ProcessPolicies = {}) {
    this.owners = { ...defaultOwners, ...overrides };
    this.processes = processes;
  }

  private policy(process: string | null | undefined): ProcessPolicy | undefined {
    return process === null || process === undefined || !Object.hasOwn(this.processes, process)
      ? undefined
      : this.processes[process];
  }

  ownerOf(exceptionClass: ExceptionClass, process?: string | null): string {
    return this.policy(process)?.owners?.[exceptionClass] ?? this.owners[exceptionClass];
  }

  /** When an exception of this class raised at `now` is due; null when the process sets no SLA for it. */
  slaDueAt(exceptionClass: ExceptionClass, process: string | null | undefined, now: number): number | null {
    const minutes = this.policy(process)?.slaMinutes?.[exceptionClass];
    return minutes === undefined ? null : now + minutes * 60_000;
  }

  /** Attempts a step of the process gets: the process policy, else the flow's or the engine's default. */
  maxAttempts(process: string | null | undefined, fallback: number): number {
    return this.policy(process)?.transient?.maxAttempts ?? fallback;
  }

  /** How long a transient failure may keep retrying before it is escalated; undefined when never. */
  escalateAfterMs(process: string | null | undefined): number | undefined {
    const minutes = this.policy(process)?.transient?.escalateAfterMinutes;
    return minutes === undefined ? undefined : minutes * 60_000;
  }
}

/** The system a failure names in its details (remote errors carry `system`), if any. */
export function systemOfFailure(details: readonly unknown[]): string | undefined {
  for (const detail of details) {
    const system = (detail as { system?: unknown } | null)?.system;
    if (typeof system === 'string' && system !== '') return system;
  }
  return undefined;
}

export interface NewException {
  readonly runId: string | null;
  readonly eventId: string | null;
  readonly jobId: string | null;
  readonly step: string | null;
  readonly failure: ClassifiedFailure;
  readonly owner: string;
  readonly now: number;
  /** The business process (flow) and legal entity, when known. */
  readonly process?: string | null;
  readonly entity?: string | null;
  /** The system concerned; by default the one the failure names. */
  readonly system?: string | null;
  readonly slaDueAt?: number | null;
  /** 'open' unless given ('escalated' for a transient failure still retrying). */
  readonly status?: 'open' | 'escalated';
}

/** The failure with card numbers masked in its message and details, before it is stored or logged. */
export function maskFailure(masker: SensitiveDataMasker, failure: ClassifiedFailure): ClassifiedFailure {
  return {
    ...failure,
    message: masker.maskText(failure.message),
    details: masker.maskValue(failure.details) as readonly unknown[],
  };
}

/** Stores an exception: message and details masked, details sealed at rest. */
export async function insertException(
  tx: Tx,
  e: NewException,
  protection: RecordProtection = unprotected,
): Promise<string> {
  const id = newId('exc', e.now);
  const failure = maskFailure(protection.masker, e.failure);
  await tx
    .insertInto('exceptions')
    .values({
      id,
      run_id: e.runId,
      event_id: e.eventId,
      job_id: e.jobId,
      step: e.step,
      class: failure.exceptionClass,
      owner: e.owner,
      code: failure.code,
      message: failure.message,
      details: sealColumn(protection.codec, 'exceptions', 'details', id, JSON.stringify(failure.details)),
      status: e.status ?? 'open',
      created_at: e.now,
      updated_at: e.now,
      resolved_at: null,
      resolved_by: null,
      resolution: null,
      process: e.process ?? null,
      entity: e.entity ?? null,
      system: e.system ?? systemOfFailure(e.failure.details) ?? null,
      sla_due_at: e.slaDueAt ?? null,
    })
    .execute();
  return id;
}
