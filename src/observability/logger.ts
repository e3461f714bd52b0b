/**
 * The product's logger: pino writing JSON lines, level from LEDGERLINK_LOG_LEVEL (default info).
 * Credentials in headers are redacted wherever a log line carries them, and every line passes through
 * card-number masking just before it is written: a card number in any message or field comes out as
 * BIN + last four (a card number logged as a bare number becomes a string), whoever logged it.
 * Every line also carries the context it was written in (observability/tracing.ts): `trace_id` and
 * `span_id` while tracing is on, and the correlation and run IDs of the request or step.
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import { LedgerlinkError } from '../canonical/errors.js';
import { maskPansInJson } from '../security/json-pan-masking.js';
import { logContextFields } from './tracing.js';

export type { Logger } from 'pino';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export interface LoggerOptions {
  /** Overrides LEDGERLINK_LOG_LEVEL. */
  readonly level?: LogLevel;
  /** Where lines go; stdout when omitted. */
  readonly destination?: DestinationStream;
}

function isLogLevel(value: string): value is LogLevel {
  return (logLevels as readonly string[]).includes(value);
}

/** The level LEDGERLINK_LOG_LEVEL names; info when unset. An unknown level is a configuration error. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const raw = env['LEDGERLINK_LOG_LEVEL']?.trim().toLowerCase();
  if (raw === undefined || raw === '') return 'info';
  if (!isLogLevel(raw)) {
    throw new LedgerlinkError(
      'LL_ERR_CONFIG_INVALID',
      `LEDGERLINK_LOG_LEVEL "${raw}" is not one of ${logLevels.join(', ')}`,
      {
        details: [{ path: 'LEDGERLINK_LOG_LEVEL', message: `must be one of ${logLevels.join(', ')}` }],
      },
    );
  }
  return raw;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? logLevelFromEnv(),
    base: { service: 'ledgerlink' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['headers.authorization', 'headers.cookie', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
    hooks: { streamWrite: maskPansInJson },
    mixin: logContextFields,
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}

/**
 * The logger shape the engine expects (info/warn/error with fields first), typed here structurally so
 * that observability stays independent of the engine.
 */
export interface FieldsLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Adapts a pino logger to the engine's logger, tagging every line with the component. */
export function engineLoggerFrom(logger: Logger, component = 'engine'): FieldsLogger {
  const child = logger.child({ component });
  return {
    info: (fields, message) => child.info(fields, message),
    warn: (fields, message) => child.warn(fields, message),
    error: (fields, message) => child.error(fields, message),
  };
}
