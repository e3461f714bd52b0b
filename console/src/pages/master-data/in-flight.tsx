/**
 * The documents in flight (taken by the hub and not posted yet, waiting on an exception, or sent back
 * to their owner) that name a cost center, project or GL account the ERP blocked, closed or let
 * expire, or whose validity ends within the chosen days: one row per value and document, with who
 * owns the document now (GET /v1/master-data/in-flight).
 */
import { useState } from 'react';
import type { Money } from '../../api/types';
import { usePolled } from '../../api/use-polled';
import { money } from '../../components/format';
import { RecordTable } from '../../components/record-table';
import { Loaded } from '../../components/states';
import { href } from '../../router';

interface InFlightDocument {
  readonly runId: string;
  readonly flow: string;
  readonly system: string;
  readonly documentId: string;
  readonly version: string;
  readonly status: string;
  readonly step: string | null;
  readonly amount: Money | null;
  readonly owner: { readonly team: string | null; readonly person: string | null };
  readonly exception: { readonly code: string; readonly message: string } | null;
  readonly paths: readonly string[];
}

interface InFlightAnswer {
  readonly asOf: string;
  readonly inFlightRuns: number;
  readonly values: readonly {
    kind: string;
    entity: string | null;
    code: string;
    validTo: string | null;
    retired: boolean;
    retiredReason: string | null;
    documents: readonly InFlightDocument[];
  }[];
}

type Row = Omit<InFlightAnswer['values'][number], 'documents'> & { document: InFlightDocument };

const KIND: Readonly<Record<string, string>> = {
  cost_center: 'cost center',
  project: 'project',
  gl_account: 'GL account',
  vendor: 'vendor',
};

function state(r: Row, asOf: string): string {
  if (r.retired) return r.retiredReason ?? 'blocked';
  if (r.validTo !== null && r.validTo < asOf) return `expired ${r.validTo}`;
  return r.validTo === null ? 'valid' : `expires ${r.validTo}`;
}

export function InFlight() {
  const [days, setDays] = useState(30);
  const answer = usePolled<InFlightAnswer>(`/v1/master-data/in-flight?withinDays=${days}`, 60_000);
  const rows = (a: InFlightAnswer): Row[] =>
    a.values.flatMap(({ documents, ...value }) => documents.map((document) => ({ ...value, document })));
  return (
    <>
      <p className="filters">
        <label>
          Expiring within
          <select name="withinDays" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {[7, 30, 90, 365].map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </label>
      </p>
      <Loaded
        what="the documents in flight"
        data={answer.data}
        error={answer.error}
        loading={answer.loading}
        isEmpty={(a) => rows(a).length === 0}
        empty={`No document in flight names a blocked, expired or soon expiring value (within ${days} days).`}
      >
        {(a) => (
          <>
            <p className="muted">
              {a.inFlightRuns} documents in flight read, as of {a.asOf}.
            </p>
            <RecordTable
              label="In-flight documents on blocked or expiring master data"
              testId="in-flight"
              rows={rows(a)}
              rowKey={(r) => `${r.kind}/${r.entity ?? ''}/${r.code}/${r.document.runId}`}
              rowData={(r) => ({ code: r.code, document: r.document.documentId })}
              columns={[
                {
                  header: 'Value',
                  cell: (r) => `${KIND[r.kind] ?? r.kind} ${r.entity === null ? '' : `${r.entity}/`}${r.code}`,
                },
                {
                  header: 'State',
                  cell: (r) => state(r, a.asOf),
                  className: (r) => (r.retired || (r.validTo !== null && r.validTo < a.asOf) ? 'bad' : 'warn'),
                },
                {
                  header: 'Document',
                  cell: (r) => (
                    <a href={href('trace', { q: r.document.documentId, system: r.document.system })}>
                      {r.document.system} {r.document.documentId} v{r.document.version}
                    </a>
                  ),
                  className: () => 'wrap',
                },
                {
                  header: 'Where',
                  cell: (r) =>
                    `${r.document.flow}: ${r.document.status}${r.document.step === null ? '' : ` at ${r.document.step}`}`,
                  className: () => 'wrap',
                },
                {
                  header: 'Amount',
                  cell: (r) => money(r.document.amount),
                  value: (r) => r.document.amount?.amount ?? null,
                },
                {
                  header: 'Owner',
                  cell: (r) =>
                    [r.document.owner.team, r.document.owner.person].filter((x) => x !== null).join(' · ') || '—',
                  className: () => 'wrap',
                },
                { header: 'Named at', cell: (r) => r.document.paths.join(', '), className: () => 'wrap' },
              ]}
            />
          </>
        )}
      </Loaded>
    </>
  );
}
