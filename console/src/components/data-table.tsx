/** A table over @tanstack/react-table: columns and rows in, a plain accessible table out, rows clickable by keyboard too. */
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';

export interface DataTableProps<T> {
  readonly columns: ColumnDef<T, unknown>[];
  readonly rows: readonly T[];
  readonly rowKey: (row: T) => string;
  readonly onOpen?: (row: T) => void;
  readonly label: string;
  readonly testId?: string;
}

export function DataTable<T>({ columns, rows, rowKey, onOpen, label, testId }: DataTableProps<T>) {
  const table = useReactTable({
    data: rows as T[],
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => rowKey(row),
  });
  return (
    <table className="data" aria-label={label} data-testid={testId}>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => (
              <th key={header.id} scope="col">
                {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
              </th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr
            key={row.id}
            data-row-id={row.id}
            className={onOpen === undefined ? undefined : 'clickable'}
            tabIndex={onOpen === undefined ? undefined : 0}
            onClick={onOpen === undefined ? undefined : () => onOpen(row.original)}
            onKeyDown={
              onOpen === undefined
                ? undefined
                : (e) => {
                    if (e.key === 'Enter') onOpen(row.original);
                  }
            }
          >
            {row.getVisibleCells().map((cell) => (
              <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
