/** The queue's filters, kept in the address (so a filtered view is a link): process, class, owner, entity, system, age, status. */
import { useState, type FormEvent } from 'react';

export const FILTER_KEYS = ['status', 'process', 'class', 'owner', 'entity', 'system', 'olderThanMinutes'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filter = Partial<Record<FilterKey, string>>;

const CLASSES = ['transient', 'auth', 'validation', 'mapping', 'business_rejection', 'duplicate_suspect'];
const STATUSES = ['open', 'open,escalated,retrying', 'escalated', 'retrying', 'resolved', 'ignored', 'superseded'];

export function filterFrom(params: URLSearchParams): Filter {
  const filter: Filter = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value !== null && value !== '') filter[key] = value;
  }
  if (filter.status === undefined) filter.status = 'open';
  if (filter.status === 'any') delete filter.status;
  return filter;
}

export function ExceptionFilters({ value, onApply }: { value: Filter; onApply: (filter: Filter) => void }) {
  const [draft, setDraft] = useState<Filter>(value);
  const set = (key: FilterKey) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const text = (key: FilterKey, label: string, placeholder = '') => (
    <label>
      {label}
      <input name={key} value={draft[key] ?? ''} onChange={set(key)} placeholder={placeholder} />
    </label>
  );
  return (
    <form className="filters" onSubmit={submit} aria-label="Filter the queue">
      <label>
        Status
        <select name="status" value={draft.status ?? 'any'} onChange={set('status')}>
          <option value="any">any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Class
        <select name="class" value={draft.class ?? ''} onChange={set('class')}>
          <option value="">any</option>
          {CLASSES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      {text('process', 'Process', 'expense-posting')}
      {text('owner', 'Owner', 'finance-ops')}
      {text('entity', 'Entity', '1010')}
      {text('system', 'System', 'erp')}
      {text('olderThanMinutes', 'Older than (min)', '60')}
      <button type="submit">Apply</button>
    </form>
  );
}
