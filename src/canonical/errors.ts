/**
 * The LL_ERR_* catalogue. Every coded error the product raises is listed here with the HTTP status
 * it maps to; docs/errors.md documents each one and a test keeps the two in step.
 */
export const errorCatalogue = {
  LL_ERR_INTERNAL: { status: 500, title: 'Unexpected internal error' },
  LL_ERR_NOT_FOUND: { status: 404, title: 'Resource not found' },
  LL_ERR_BAD_REQUEST: { status: 400, title: 'Request does not match the schema' },
  LL_ERR_JSON_MALFORMED: { status: 400, title: 'Body is not well-formed JSON' },
  LL_ERR_JSON_DUPLICATE_KEY: { status: 400, title: 'JSON object has a duplicate key' },
  LL_ERR_JSON_FORBIDDEN_KEY: { status: 400, title: 'JSON uses __proto__ or constructor.prototype' },
  LL_ERR_JSON_TOO_DEEP: { status: 400, title: 'JSON nesting is deeper than allowed' },
  LL_ERR_BODY_TOO_LARGE: { status: 413, title: 'Request body is over the limit' },
  LL_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Content type or encoding not accepted' },
  LL_ERR_UNKNOWN_SYSTEM: { status: 404, title: 'No such system is configured' },
  LL_ERR_AGENT_UNKNOWN: { status: 404, title: 'No such agent is configured' },
  LL_ERR_MONEY_INVALID_AMOUNT: { status: 400, title: 'Amount is not a plain decimal string' },
  LL_ERR_MONEY_UNSAFE_NUMBER: { status: 400, title: 'Amount arrived as a JS number' },
  LL_ERR_MONEY_UNKNOWN_CURRENCY: { status: 400, title: 'Currency is not an ISO 4217 code' },
  LL_ERR_MONEY_PRECISION: { status: 400, title: 'Amount has more decimals than the currency allows' },
  LL_ERR_MONEY_CURRENCY_MISMATCH: { status: 400, title: 'Amounts in different currencies combined' },
  LL_ERR_MONEY_ALLOCATION: { status: 400, title: 'Allocation weights are invalid' },
  LL_ERR_JOURNAL_UNBALANCED: { status: 422, title: 'Journal does not balance per currency' },
  LL_ERR_ILLEGAL_TRANSITION: { status: 409, title: 'State transition not allowed' },
  LL_ERR_SCHEMA_TOO_NEW: { status: 500, title: 'Database schema is newer than this build' },
  LL_ERR_STORE_UNAVAILABLE: { status: 503, title: 'Store cannot be reached' },
  LL_ERR_LEASE_LOST: { status: 409, title: 'Job lease expired or was taken over' },
  LL_ERR_RUN_KEY_INVALID: { status: 422, title: 'Event lacks what the run key needs' },
  LL_ERR_EFFECT_IN_PROGRESS: { status: 409, title: 'Another run of the document is writing this effect' },
  LL_ERR_REMOTE_TRANSIENT: { status: 503, title: 'Remote system failed transiently' },
  LL_ERR_REMOTE_AUTH: { status: 502, title: 'Remote system refused the credentials' },
  LL_ERR_REMOTE_REJECTED: { status: 422, title: 'Remote system rejected the document' },
  LL_ERR_CONNECTOR_URL_REFUSED: { status: 400, title: 'Connector URL or redirect target refused' },
  LL_ERR_VALIDATION: { status: 422, title: 'Document failed validation' },
  LL_ERR_POSTING_WAITING: { status: 422, title: 'Document waits in the hub until what it needs is fixed' },
  LL_ERR_MAPPING_NO_RULE: { status: 422, title: 'No mapping rule matches' },
  LL_ERR_MAPPING_INVALID: { status: 400, title: 'Mapping set is invalid' },
  LL_ERR_MAPPING_TRANSFORM_FAILED: { status: 422, title: 'Mapping transform failed' },
  LL_ERR_SEGREGATION_OF_DUTIES: { status: 403, title: 'The author of a mapping set cannot approve it' },
  LL_ERR_DUPLICATE_SUSPECT: { status: 409, title: 'Supplier may duplicate an ERP vendor' },
  LL_ERR_ATTEMPTS_EXHAUSTED: { status: 500, title: 'Retries exhausted' },
  LL_ERR_AUDIT_CHAIN_BROKEN: { status: 500, title: 'Audit hash chain does not verify' },
  LL_ERR_CONFIG_INVALID: { status: 400, title: 'Configuration is invalid' },
  LL_ERR_SHUTTING_DOWN: { status: 503, title: 'Server is shutting down' },
  LL_ERR_INGEST_BACKLOG: { status: 503, title: 'Ingest paused while the backlog is over its limit' },
  LL_ERR_RATE_LIMITED: { status: 429, title: 'Too many requests from this client' },
  LL_ERR_UNKNOWN_FLOW: { status: 422, title: 'No flow handles this event' },
  LL_ERR_SIGNATURE_MISSING: { status: 401, title: 'Webhook signature headers missing' },
  LL_ERR_SIGNATURE_INVALID: { status: 401, title: 'Webhook signature does not verify' },
  LL_ERR_SIGNATURE_STALE: { status: 401, title: 'Webhook timestamp outside the tolerance' },
  LL_ERR_UNAUTHENTICATED: { status: 401, title: 'No valid API token presented' },
  LL_ERR_FORBIDDEN: { status: 403, title: 'Token role does not allow this action' },
  LL_ERR_CSRF: { status: 403, title: 'CSRF token missing or wrong on a session call' },
  LL_ERR_MASTER_KEY_MISSING: { status: 500, title: 'No master key configured' },
  LL_ERR_MASTER_KEY_INVALID: { status: 500, title: 'Master key or key file is invalid' },
  LL_ERR_MASTER_KEY_UNKNOWN: { status: 500, title: 'Record is wrapped by a key not in the keyring' },
  LL_ERR_DECRYPTION_FAILED: { status: 500, title: 'Encrypted record does not decrypt' },
  LL_ERR_CONNECTOR_PAUSED: { status: 409, title: 'Connector is paused until an operator resumes it' },
  LL_ERR_IDEMPOTENCY_IN_PROGRESS: { status: 409, title: 'A call with this Idempotency-Key is still running' },
  LL_ERR_IDEMPOTENCY_MISMATCH: { status: 422, title: 'Idempotency-Key reused with a different request' },
  LL_ERR_MASTER_DATA_UNAVAILABLE: { status: 503, title: 'The hub holds no master data yet' },
  LL_ERR_BUDGET_FIGURES_UNAVAILABLE: { status: 503, title: 'Commitments and actuals cannot be read' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export interface ErrorDetail {
  readonly path?: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

/** The one error type the product throws on purpose: a code, a message, details, the cause kept. */
export class LedgerlinkError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[];
  /** How long the remote asked us to wait (its Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: readonly ErrorDetail[]; cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LedgerlinkError';
    this.code = code;
    this.details = options.details ?? [];
    this.retryAfterMs = options.retryAfterMs;
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }

  toBody(): { error: { code: ErrorCode; message: string; details: readonly ErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export function isLedgerlinkError(value: unknown): value is LedgerlinkError {
  return value instanceof LedgerlinkError;
}
