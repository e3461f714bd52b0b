/** Mappings: the versions of every mapping set (status, author, approver), one under review, and publishing a new one (authors). */
import { useState, type FormEvent } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { api, ApiError } from '../../api/client';
import { usePolled } from '../../api/use-polled';
import { DataTable } from '../../components/data-table';
import { when } from '../../components/format';
import { Empty, Loaded } from '../../components/states';
import { useCan } from '../../session/session-context';
import { MappingReview } from './mapping-review';
import type { MappingVersion } from './mapping-version';

const columns: ColumnDef<MappingVersion, unknown>[] = [
  { header: 'Version', accessorKey: 'version' },
  { header: 'Status', accessorKey: 'status' },
  { header: 'Author', accessorKey: 'author' },
  { header: 'Approved by', accessorFn: (m) => m.approvedBy ?? m.rejectedBy ?? '' },
  { header: 'Registered', accessorFn: (m) => when(m.createdAt) },
  { header: 'Approved', accessorFn: (m) => when(m.approvedAt) },
];

function Publish({ onDone }: { onDone: () => void }) {
  const [content, setContent] = useState('');
  const [message, setMessage] = useState<string | undefined>(undefined);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const answer = await api<{ version: string }>('/v1/mappings', { method: 'POST', body: { content } });
      setMessage(`${answer.version} registered; an approver publishes it`);
      onDone();
    } catch (e) {
      setMessage(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
    }
  };
  return (
    <details className="bulk">
      <summary>Register a new version for approval</summary>
      <form onSubmit={(e) => void submit(e)}>
        <label className="wide">
          Mapping set (YAML)
          <textarea rows={12} value={content} onChange={(e) => setContent(e.target.value)} spellCheck={false} />
        </label>
        <button type="submit" disabled={content.trim() === ''}>
          Register
        </button>
        {message === undefined ? null : <span role="status">{message}</span>}
      </form>
    </details>
  );
}

export function MappingsPage() {
  const canAuthor = useCan('mappings:author');
  const list = usePolled<{ mappings: MappingVersion[] }>('/v1/mappings', 10_000);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  return (
    <>
      <h1>Mappings</h1>
      {canAuthor ? <Publish onDone={list.refresh} /> : null}
      <Loaded what="the mapping sets" data={list.data} error={list.error} loading={list.loading}>
        {(data) => {
          if (data.mappings.length === 0) return <Empty>No mapping set registered.</Empty>;
          const current = data.mappings.find((m) => m.version === selected);
          return (
            <>
              <DataTable
                label="Mapping set versions"
                testId="mapping-versions"
                columns={columns}
                rows={data.mappings}
                rowKey={(m) => m.version}
                onOpen={(m) => setSelected(m.version)}
              />
              {current === undefined ? null : (
                <MappingReview selected={current} versions={data.mappings} onChanged={list.refresh} />
              )}
            </>
          );
        }}
      </Loaded>
    </>
  );
}
