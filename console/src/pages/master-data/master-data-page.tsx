/**
 * Master data: how many values of each ERP dimension the hub holds and publishes; the documents in
 * flight that name a blocked or expiring value, with their owners; and the drift per target system
 * and dimension (missing, stale, still active after retirement, inactive in the target, unexpected).
 * Drift is read from the targets on request, so it is loaded on demand, not polled.
 */
import { useState } from 'react';
import { api, ApiError } from '../../api/client';
import { usePolled } from '../../api/use-polled';
import { Empty, Loaded, Loading } from '../../components/states';
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

const keys = (list: Listed | undefined) =>
  (list ?? [])
    .slice(0, 5)
    .map((v) => v.key)
    .join(', ') + ((list ?? []).length > 5 ? ` … (${(list ?? []).length})` : '');

function Drift() {
  const [report, setReport] = useState<DriftReport | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const load = () => {
    setLoading(true);
    setError(undefined);
    api<DriftReport>('/v1/master-data/drift')
      .then(setReport, (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)))
      .finally(() => setLoading(false));
  };
  return (
    <>
      <button type="button" onClick={load} disabled={loading}>
        {report === undefined ? 'Compare with the target systems' : 'Compare again'}
      </button>
      {loading ? <Loading what="the drift (reading the target systems)" /> : null}
      {error === undefined ? null : <p className="state error">{error}</p>}
      {report === undefined ? null : (
        <table className="data" aria-label="Drift per target and dimension" data-testid="drift">
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col">Dimension</th>
              <th scope="col">Drift</th>
              <th scope="col">Missing</th>
              <th scope="col">Stale</th>
              <th scope="col">Active after retirement</th>
              <th scope="col">Inactive in target</th>
            </tr>
          </thead>
          <tbody>
            {report.targets.flatMap((t) =>
              t.error !== undefined
                ? [
                    <tr key={t.system}>
                      <td>{t.system}</td>
                      <td colSpan={6} className="bad">
                        cannot be compared: {t.error}
                      </td>
                    </tr>,
                  ]
                : Object.entries(t.dimensions).map(([dimension, d]) => (
                    <tr key={`${t.system}/${dimension}`}>
                      <td>{t.system}</td>
                      <td>{dimension}</td>
                      <td className={d.drift ? 'bad' : 'good'}>{d.drift ? 'drift' : 'aligned'}</td>
                      <td>{keys(d.missing)}</td>
                      <td>{keys(d.stale)}</td>
                      <td>{keys(d.activeAfterRetirement)}</td>
                      <td>{keys(d.inactiveInTarget)}</td>
                    </tr>
                  )),
            )}
          </tbody>
        </table>
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
      <Loaded what="the master data" data={held.data} error={held.error} loading={held.loading}>
        {(data) =>
          Object.keys(data.kinds).length === 0 ? (
            <Empty>No master data yet.</Empty>
          ) : (
            <table className="data" aria-label="Dimensions held" data-testid="dimensions">
              <thead>
                <tr>
                  <th scope="col">Dimension</th>
                  <th scope="col">Published</th>
                  <th scope="col">Retired</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(data.kinds).map(([kind, values]) => (
                  <tr key={kind}>
                    <td>{kind}</td>
                    <td>{values.filter((v) => !v.retired).length}</td>
                    <td>{values.filter((v) => v.retired).length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
      <h2>In-flight documents on blocked or expiring values</h2>
      <InFlight />
      <h2>Drift per target system</h2>
      <Drift />
    </>
  );
}
