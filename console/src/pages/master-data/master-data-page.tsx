/**
 * Master data: how many values of each ERP dimension the hub holds and publishes; the documents in
 * flight that name a blocked or expiring value, with their owners; and the drift per target system
 * and dimension (missing, stale, still active after retirement, inactive in the target, unexpected).
 * Drift is read from the targets on request, so it is loaded on demand, not polled.
 */
import { api } from '../../api/client';
import { useAction } from '../../api/use-action';
import { usePolled } from '../../api/use-polled';
import { RecordTable } from '../../components/record-table';
import { Loaded, Loading, Refused } from '../../components/states';
import { InFlight } from './in-flight';

type Listed = readonly { key: string; name?: string }[];

interface DimensionDrift {
  readonly drift: boolean;
  readonly missing: Listed;
  readonly stale: Listed;
  readonly activeAfterRetirement: Listed;
  readonly inactiveInTarget: Listed;
  readonly unexpected?: Listed;
}

interface DriftReport {
  readonly asOf: string;
  readonly drift: boolean;
  readonly targets: readonly {
    system: string;
    role: string;
    drift: boolean;
    error?: string;
    dimensions: Readonly<Record<string, DimensionDrift>>;
  }[];
}

interface DriftRow {
  readonly system: string;
  readonly dimension: string;
  readonly error: string | undefined;
  readonly d: DimensionDrift | undefined;
}

const keys = (list: Listed | undefined) =>
  (list ?? [])
    .slice(0, 5)
    .map((v) => v.key)
    .join(', ') + ((list ?? []).length > 5 ? ` … (${(list ?? []).length})` : '');

function Drift() {
  const compare = useAction<DriftReport>();
  const { result: report, busy: loading } = compare;
  const load = () => void compare.run(() => api<DriftReport>('/v1/master-data/drift'));
  return (
    <>
      <button type="button" onClick={load} disabled={loading}>
        {report === undefined ? 'Compare with the target systems' : 'Compare again'}
      </button>
      {loading ? <Loading what="the drift (reading the target systems)" /> : null}
      <Refused message={compare.error} />
      {report === undefined ? null : (
        <RecordTable
          label="Drift per target and dimension"
          testId="drift"
          rows={report.targets.flatMap((t): DriftRow[] =>
            t.error !== undefined
              ? [{ system: t.system, dimension: '', error: t.error, d: undefined }]
              : Object.entries(t.dimensions).map(([dimension, d]) => ({
                  system: t.system,
                  dimension,
                  error: undefined,
                  d,
                })),
          )}
          rowKey={(r) => `${r.system}/${r.dimension}`}
          columns={[
            { header: 'Target', cell: (r) => r.system },
            { header: 'Dimension', cell: (r) => r.dimension },
            {
              header: 'Drift',
              cell: (r) =>
                r.d === undefined ? `cannot be compared: ${r.error ?? ''}` : r.d.drift ? 'drift' : 'aligned',
              className: (r) => (r.d?.drift === false ? 'good' : 'bad'),
            },
            { header: 'Missing', cell: (r) => keys(r.d?.missing) },
            { header: 'Stale', cell: (r) => keys(r.d?.stale) },
            { header: 'Active after retirement', cell: (r) => keys(r.d?.activeAfterRetirement) },
            { header: 'Inactive in target', cell: (r) => keys(r.d?.inactiveInTarget) },
          ]}
        />
      )}
    </>
  );
}

export function MasterDataPage() {
  const held = usePolled<{ revision: unknown; kinds: Readonly<Record<string, readonly { retired: boolean }[]>> }>(
    '/v1/master-data?includeRetired=true',
    60_000,
  );
  return (
    <>
      <h1>Master data</h1>
      <h2>What the hub holds from the ERP</h2>
      <Loaded
        what="the master data"
        data={held.data}
        error={held.error}
        loading={held.loading}
        isEmpty={(data) => Object.keys(data.kinds).length === 0}
        empty="No master data yet."
      >
        {(data) => (
          <RecordTable
            label="Dimensions held"
            testId="dimensions"
            rows={Object.entries(data.kinds)}
            rowKey={([kind]) => kind}
            columns={[
              { header: 'Dimension', cell: ([kind]) => kind },
              { header: 'Published', cell: ([, values]) => values.filter((v) => !v.retired).length },
              { header: 'Retired', cell: ([, values]) => values.filter((v) => v.retired).length },
            ]}
          />
        )}
      </Loaded>
      <h2>In-flight documents on blocked or expiring values</h2>
      <InFlight />
      <h2>Drift per target system</h2>
      <Drift />
    </>
  );
}
