/**
 * Bulk actions: one action applied to every exception a filter matches. A dry run changes nothing and
 * answers how many match and which (the first ids); a real run applies the action to each, one
 * transaction per exception, and reports per item (an exception whose state forbids the action fails
 * alone, the others go on).
 */
import { isLedgerlinkError, LedgerlinkError } from '../../canonical/errors.js';
import type { EngineDeps } from '../engine-deps.js';
import { actOnException, type ExceptionActionName, type ExceptionActionResult, type ReplayOptions } from './actions.js';
import { exceptionFilterKeys, matchingExceptionIds, type ExceptionFilter } from './queries.js';

/** The most exceptions one bulk call acts on; narrow the filter (or call again) for more. */
export const BULK_MAX = 1_000;

export interface BulkActionRequest {
  readonly action: ExceptionActionName;
  readonly actor: string;
  readonly filter: ExceptionFilter;
  readonly dryRun: boolean;
  readonly reason?: string | undefined;
  /** Replay options for every item; an edited payload is per document and not offered in bulk. */
  readonly replay?: Omit<ReplayOptions, 'payload'>;
  /** How many ids a dry run lists (default 50). */
  readonly sample?: number;
}

export type BulkItem =
  | { readonly id: string; readonly ok: true; readonly result: ExceptionActionResult }
  | { readonly id: string; readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

export type BulkActionAnswer =
  | {
      readonly dryRun: true;
      readonly action: ExceptionActionName;
      readonly total: number;
      readonly ids: readonly string[];
    }
  | {
      readonly dryRun: false;
      readonly action: ExceptionActionName;
      readonly total: number;
      readonly succeeded: number;
      readonly failed: number;
      readonly items: readonly BulkItem[];
    };

export async function bulkActOnExceptions(deps: EngineDeps, request: BulkActionRequest): Promise<BulkActionAnswer> {
  const given = exceptionFilterKeys.filter((key) => request.filter[key] !== undefined);
  if (given.length === 0) {
    throw new LedgerlinkError(
      'LL_ERR_BAD_REQUEST',
      'A bulk action needs a filter (e.g. status, class, process, owner)',
      {
        details: [{ path: 'filter', message: `give at least one of ${exceptionFilterKeys.join(', ')}` }],
      },
    );
  }
  const now = deps.now();
  if (request.dryRun) {
    const sample = Math.min(Math.max(request.sample ?? 50, 1), BULK_MAX);
    const { total, ids } = await matchingExceptionIds(deps.store.db, request.filter, sample, now);
    return { dryRun: true, action: request.action, total, ids };
  }
  const { total, ids } = await matchingExceptionIds(deps.store.db, request.filter, BULK_MAX, now);
  const items: BulkItem[] = [];
  for (const id of ids) {
    try {
      const result = await actOnException(deps, id, {
        action: request.action,
        actor: request.actor,
        reason: request.reason,
        ...(request.replay === undefined ? {} : { replay: request.replay }),
      });
      items.push({ id, ok: true, result });
    } catch (error) {
      if (!isLedgerlinkError(error)) throw error;
      items.push({ id, ok: false, error: { code: error.code, message: error.message } });
    }
  }
  const succeeded = items.filter((i) => i.ok).length;
  return { dryRun: false, action: request.action, total, succeeded, failed: items.length - succeeded, items };
}
