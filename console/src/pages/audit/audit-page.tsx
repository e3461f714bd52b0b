/** Audit: the hash-chained audit log with filters and paging, and the chain's verification on demand. */
import { useState, type FormEvent } from 'react';
import { api, query } from '../../api/client';
import { useAction } from '../../api/use-action';
import { usePolled } from '../../api/use-polled';
import { when } from '../../components/format';
import { RecordTable } from '../../components/record-table';
import { Loaded } from '../../components/states';
import { navigate } from '../../router';

interface AuditPage {
  readonly entries: readonly {
    seq: number;
    at: string | null;
    actor: string;
    action: string;
    subject: string;
    correlationId: string | null;
    data: unknown;
  }[];
  readonly next: string | null;
}

interface Verdict {
  readonly ok: boolean;
  readonly rowsChecked: number;
  readonly firstBad?: { seq: number; reason: string };
}

const KEYS = ['action', 'actor', 'subject', 'correlationId'] as const;

function Verification() {
  const check = useAction<Verdict>();
  const { result: verdict, busy } = check;
  const verify = () => void check.run(() => api<Verdict>('/v1/audit/verify'));
  return (
    <p className="filters">
      <button type="button" onClick={verify} disabled={busy}>
        Verify the chain
      </button>
      {verdict === undefined ? null : (
        <span className={verdict.ok ? 'good' : 'bad'} data-testid="audit-verdict" data-ok={String(verdict.ok)}>
          {verdict.ok
            ? `The chain verifies: ${verdict.rowsChecked} rows checked`
            : `Broken at row ${verdict.firstBad?.seq ?? '?'}: ${verdict.firstBad?.reason ?? ''}`}
        </span>
      )}
      {check.error === undefined ? null : <span className="bad">{check.error}</span>}
    </p>
  );
}

export function AuditPage({ params }: { params: URLSearchParams }) {
  const filter = Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? undefined]));
  const [draft, setDraft] = useState<Record<string, string>>(
    Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? ''])),
  );
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const page = usePolled<AuditPage>(`/v1/audit${query({ ...filter, cursor, limit: 50 })}`, 10_000);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCursors([]);
    navigate('audit', draft);
  };
  return (
    <>
      <h1>Audit</h1>
      <Verification />
      <form className="filters" onSubmit={submit} aria-label="Filter the audit log">
        {KEYS.map((k) => (
          <label key={k}>
            {k}
            <input name={k} value={draft[k] ?? ''} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
          </label>
        ))}
        <button type="submit">Apply</button>
      </form>
      <Loaded
        what="the audit log"
        data={page.data}
        error={page.error}
        loading={page.loading}
        isEmpty={(data) => data.entries.length === 0}
        empty="No audit rows match."
      >
        {(data) => (
          <RecordTable
            label="Audit log"
            testId="audit-log"
            rows={data.entries}
            rowKey={(e) => String(e.seq)}
            columns={[
              { header: '#', cell: (e) => e.seq },
              { header: 'When', cell: (e) => when(e.at) },
              { header: 'Actor', cell: (e) => e.actor },
              { header: 'Action', cell: (e) => e.action },
              { header: 'Subject', cell: (e) => e.subject },
              { header: 'Data', cell: (e) => <span className="clip">{JSON.stringify(e.data)}</span> },
            ]}
          />
        )}
      </Loaded>
      <div className="pager">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button
          type="button"
          disabled={page.data?.next == null}
          onClick={() => page.data?.next != null && setCursors([...cursors, page.data.next])}
        >
          Older
        </button>
      </div>
    </>
  );
}
