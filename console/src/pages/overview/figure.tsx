/** One headline figure: a label, the value as read, and the raw value in `data-value` for tests and tools. */
export function Figure({
  label,
  value,
  raw,
  testId,
  note,
}: {
  label: string;
  value: string;
  raw: string | number | null;
  testId: string;
  note?: string;
}) {
  return (
    <div className="figure">
      <div className="figure-label">{label}</div>
      <div className="figure-value" data-testid={testId} data-value={raw === null ? '' : String(raw)}>
        {value}
      </div>
      {note === undefined ? null : <div className="figure-note">{note}</div>}
    </div>
  );
}
