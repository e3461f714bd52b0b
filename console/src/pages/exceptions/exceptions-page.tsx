/**
 * The exception queue: filters, server-side paging (the API's cursor; earlier cursors kept for
 * "previous"), a row opens the detail; bulk actions by filter for those allowed to act.
 */
import { useMemo, useState } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { query } from '../../api/client';
import type { ExceptionItem, ExceptionPage } from '../../api/types';
import { usePolled } from '../../api/use-polled';
import { DataTable } from '../../components/data-table';
import { age, money } from '../../components/format';
import { Empty, Loaded } from '../../components/states';
import { navigate } from '../../router';
import { useCan } from '../../session/session-context';
import { BulkAction } from './bulk-action';
import { ExceptionFilters, filterFrom, type Filter } from './exception-filters';

const PAGE_SIZE = 25;

const columns: ColumnDef<ExceptionItem, unknown>[] = [
  { header: 'Raised', accessorFn: (x) => x.createdAt, cell: (c) => `${age(c.getValue() as string)} ago` },
  { header: 'Class', accessorKey: 'class' },
  { header: 'Owner', accessorKey: 'owner' },
  { header: 'Process', accessorFn: (x) => x.process ?? '' },
  { header: 'Entity', accessorFn: (x) => x.entity ?? '' },
  { header: 'Document', accessorFn: (x) => x.documentId ?? '' },
  { header: 'Amount', accessorFn: (x) => money(x.amount) },
  { header: 'Status', accessorKey: 'status' },
  {
    header: 'Error',
    accessorFn: (x) => x.message,
    cell: (c) => <span className="clip">{c.getValue() as string}</span>,
  },
];

export function ExceptionsPage({ params }: { params: URLSearchParams }) {
  const filter = useMemo(() => filterFrom(params), [params]);
  const canAct = useCan('exceptions:act');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const path = `/v1/exceptions${query({ ...filter, limit: PAGE_SIZE, cursor })}`;
  const page = usePolled<ExceptionPage>(path, 5_000);
  const apply = (next: Filter) => {
    setCursors([]);
    navigate('exceptions', { ...next, status: next.status ?? 'any' });
  };

  return (
    <>
      <h1>Exceptions</h1>
      <ExceptionFilters key={JSON.stringify(filter)} value={filter} onApply={apply} />
      {canAct ? <BulkAction filter={filter} onDone={page.refresh} /> : null}
      <Loaded what="the queue" data={page.data} error={page.error} loading={page.loading}>
        {(data) =>
          data.exceptions.length === 0 ? (
            <Empty>No exceptions match.</Empty>
          ) : (
            <DataTable
              label="Exception queue"
              testId="exception-queue"
              columns={columns}
              rows={data.exceptions}
              rowKey={(x) => x.id}
              onOpen={(x) => navigate(`exceptions/${encodeURIComponent(x.id)}`)}
            />
          )
        }
      </Loaded>
      <div className="pager">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous
        </button>
        <span>Page {cursors.length + 1}</span>
        <button
          type="button"
          disabled={page.data?.next === null || page.data === undefined}
          onClick={() => page.data?.next != null && setCursors([...cursors, page.data.next])}
        >
          Next
        </button>
      </div>
    </>
  );
}
