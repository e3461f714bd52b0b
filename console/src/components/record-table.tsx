/**
 * A plain table of records: a header per column, a row per record, cells from the column's `cell`.
 * Columns can put the raw figure in `data-value` (what the browser tests compare with the API) and a
 * class (`good`, `bad`) on a cell; rows can carry data attributes. For sorting, paging or opening rows
 * use DataTable (TanStack).
 */
import type { ReactNode } from 'react';

export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
  /** The raw figure behind the cell, as `data-value`. */
  readonly value?: (row: T) => string | number | null;
  readonly className?: (row: T) => string | undefined;
}

export interface RecordTableProps<T> {
  readonly label: string;
  readonly testId?: string;
  readonly columns: readonly Column<T>[];
  readonly rows: readonly T[];
  readonly rowKey: (row: T) => string;
  /** Data attributes of a row (`{ process: 'expense' }` → `data-process="expense"`). */
  readonly rowData?: (row: T) => Readonly<Record<string, string>>;
}

export function RecordTable<T>({ label, testId, columns, rows, rowKey, rowData }: RecordTableProps<T>) {
  return (
    <table className="data" aria-label={label} data-testid={testId}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.header} scope="col">
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={rowKey(row)}
            {...Object.fromEntries(Object.entries(rowData?.(row) ?? {}).map(([k, v]) => [`data-${k}`, v]))}
          >
            {columns.map((c) => (
              <td key={c.header} className={c.className?.(row)} data-value={c.value?.(row) ?? undefined}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
