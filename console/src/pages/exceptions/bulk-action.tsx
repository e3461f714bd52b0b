/** One action on every exception the filter matches: a dry run first shows how many, then a confirmation applies it. */
import { useState } from 'react';
import { api, ApiError } from '../../api/client';
import type { BulkAnswer } from '../../api/types';
import type { Filter } from './exception-filters';

const ACTIONS = ['retry', 'replay', 'resolve', 'ignore'] as const;

function bodyFilter(filter: Filter): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === '') continue;
    out[key] = key === 'olderThanMinutes' ? Number(value) : value;
  }
  return out;
}

export function BulkAction({ filter, onDone }: { filter: Filter; onDone: () => void }) {
  const [action, setAction] = useState<(typeof ACTIONS)[number]>('retry');
  const [reason, setReason] = useState('');
  const [dryRun, setDryRun] = useState<BulkAnswer | undefined>(undefined);
  const [result, setResult] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const send = async (dry: boolean) => {
    setBusy(true);
    setResult(undefined);
    try {
      const answer = await api<BulkAnswer>('/v1/exceptions/bulk', {
        method: 'POST',
        body: {
          action,
          filter: bodyFilter(filter),
          dryRun: dry,
          ...(reason.trim() === '' ? {} : { reason: reason.trim() }),
        },
      });
      if (dry) setDryRun(answer);
      else {
        setDryRun(undefined);
        setResult(`${answer.action}: ${answer.succeeded ?? 0} done, ${answer.failed ?? 0} refused`);
        onDone();
      }
    } catch (e) {
      setResult(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const needsReason = action === 'resolve' || action === 'ignore';
  return (
    <details className="bulk">
      <summary>Act on every exception this filter matches</summary>
      <div className="bulk-body">
        <label>
          Action
          <select
            value={action}
            onChange={(e) => {
              setAction(e.target.value as (typeof ACTIONS)[number]);
              setDryRun(undefined);
            }}
          >
            {ACTIONS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          Reason
          <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="kept in the audit log" />
        </label>
        <button type="button" disabled={busy} onClick={() => void send(true)}>
          Count matches
        </button>
        {dryRun === undefined ? null : (
          <button
            type="button"
            className="danger"
            data-testid="bulk-confirm"
            disabled={busy || dryRun.total === 0 || (needsReason && reason.trim() === '')}
            onClick={() => void send(false)}
          >
            {action} {dryRun.total} exception{dryRun.total === 1 ? '' : 's'}
          </button>
        )}
        {dryRun === undefined ? null : (
          <span data-testid="bulk-count" data-value={dryRun.total}>
            {dryRun.total} match (dry run, nothing changed)
          </span>
        )}
        {result === undefined ? null : <span role="status">{result}</span>}
      </div>
    </details>
  );
}
