/**
 * What the end-to-end benchmarks share: approved expense reports put into the expense simulator
 * (at once or at a steady pace), the hub's runs for them read back through `GET /v1/runs`, the
 * vendor requests each document cost (the simulators count what they answer), and the figures made
 * of them (documents/s, latency percentiles).
 */
import { expenseReport } from '../src/demo/demo-documents.js';
import type { Hub, Simulators } from './e2e-estate.js';

export interface RunRow {
  readonly documentId: string;
  readonly status: string;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

/** The expense-posting runs the hub holds, newest first, page by page, back to those created at `since`. */
export async function expenseRuns(hub: Pick<Hub, 'url' | 'token'>, since = 0): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  let before: string | undefined;
  for (;;) {
    const query = new URLSearchParams({
      flow: 'expense-posting',
      limit: '500',
      ...(before === undefined ? {} : { before }),
    });
    const response = await fetch(`${hub.url}/v1/runs?${query}`, { headers: { authorization: `Bearer ${hub.token}` } });
    if (!response.ok) throw new Error(`GET /v1/runs: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { runs: (RunRow & { id: string })[] };
    rows.push(...page.runs);
    if (page.runs.length < 500) return rows;
    if (Date.parse(page.runs[page.runs.length - 1]!.createdAt) < since) return rows;
    before = page.runs[page.runs.length - 1]!.id;
  }
}

export interface RequestCounts {
  readonly total: number;
  readonly byRoute: Record<string, number>;
}

export async function requestCounts(sims: Simulators): Promise<Record<string, RequestCounts>> {
  const out: Record<string, RequestCounts> = {};
  for (const [name, sim] of Object.entries(sims.byName)) {
    const response = await fetch(`${sim.url}/_sim/requests`);
    out[name] = (await response.json()) as RequestCounts;
  }
  return out;
}

/** Requests per document between two counts: per vendor, and per vendor and endpoint. */
export function perDocument(
  before: Record<string, RequestCounts>,
  after: Record<string, RequestCounts>,
  documents: number,
): { byVendor: Record<string, number>; byRoute: Record<string, Record<string, number>> } {
  const per = (n: number): number => Math.round((n / documents) * 100) / 100;
  const byVendor: Record<string, number> = {};
  const byRoute: Record<string, Record<string, number>> = {};
  for (const [name, counts] of Object.entries(after)) {
    byVendor[name] = per(counts.total - (before[name]?.total ?? 0));
    const routes: Record<string, number> = {};
    for (const [route, n] of Object.entries(counts.byRoute)) {
      const delta = n - (before[name]?.byRoute[route] ?? 0);
      if (delta > 0) routes[route] = per(delta);
    }
    byRoute[name] = routes;
  }
  return { byVendor, byRoute };
}

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** A seeded generator, so every run puts the same reports in. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Puts `count` approved reports into the expense simulator's READY queue, all at once
 * (`perSecond` undefined) or at a steady pace; answers when each was put in (its approval time).
 */
export async function injectReports(
  sims: Simulators,
  count: number,
  options: { readonly perSecond?: number; readonly seed?: number } = {},
): Promise<Map<string, number>> {
  const today = new Date().toISOString().slice(0, 10);
  const random = seeded(options.seed ?? 42);
  const expense = sims.byName['expense']!.url;
  const approvedAt = new Map<string, number>();
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    if (options.perSecond !== undefined) {
      const due = started + (i * 1000) / options.perSecond;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    const report = expenseReport(random, { date: today });
    approvedAt.set(report.id, Date.now());
    const response = await fetch(`${expense}/_sim/fis/documents`, { method: 'POST', body: report.text });
    if (!response.ok)
      throw new Error(`expense simulator refused a report: ${response.status} ${await response.text()}`);
  }
  return approvedAt;
}

/** Waits until every injected report's run has finished or stopped in an exception. */
export async function awaitRuns(
  hub: Pick<Hub, 'url' | 'token'>,
  injected: ReadonlyMap<string, number>,
  timeoutMs: number,
): Promise<RunRow[]> {
  const started = Date.now();
  const firstApproval = Math.min(...injected.values()) - 1_000;
  let runs: RunRow[] = [];
  while (Date.now() - started < timeoutMs) {
    runs = (await expenseRuns(hub, firstApproval)).filter((r) => injected.has(r.documentId));
    if (runs.filter((r) => r.finishedAt !== null || r.status === 'exception').length >= injected.size) return runs;
    await new Promise((r) => setTimeout(r, 250));
  }
  return runs;
}

export interface DocumentFigures {
  readonly documents: number;
  readonly succeeded: number;
  readonly exceptions: number;
  readonly seconds: number;
  readonly documentsPerSecond: number;
  /** From the hub seeing the report to its confirmation. */
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** From the report's approval (put into the READY queue) to its confirmation. */
  readonly approvalToPostedP50Ms: number;
  readonly approvalToPostedP99Ms: number;
}

/** The figures of a set of runs whose reports were put in from `started` on. */
export function documentFigures(
  runs: readonly RunRow[],
  approvedAt: ReadonlyMap<string, number>,
  started: number,
): DocumentFigures {
  const finished = runs.filter((r) => r.finishedAt !== null);
  const lastFinish = Math.max(...finished.map((r) => Date.parse(r.finishedAt!)));
  const seconds = (lastFinish - started) / 1000;
  const sorted = (values: number[]): number[] => values.sort((a, b) => a - b);
  const latencies = sorted(finished.map((r) => Date.parse(r.finishedAt!) - Date.parse(r.createdAt)));
  const fromApproval = sorted(finished.map((r) => Date.parse(r.finishedAt!) - approvedAt.get(r.documentId)!));
  return {
    documents: approvedAt.size,
    succeeded: runs.filter((r) => r.status === 'succeeded').length,
    exceptions: runs.filter((r) => r.status === 'exception').length,
    seconds: Math.round(seconds * 10) / 10,
    documentsPerSecond: Math.round((finished.length / seconds) * 100) / 100,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    approvalToPostedP50Ms: percentile(fromApproval, 50),
    approvalToPostedP99Ms: percentile(fromApproval, 99),
  };
}
