/**
 * Scale-out on PostgreSQL: one `ledgerlink serve --role api` and three `--role worker` processes on
 * one database, the vendor simulators in a process of their own, the ERP simulator dropping answers
 * after it committed (the hub sees a timeout for a posting that exists). Approved expense reports go
 * into the expense simulator at once while workers are killed with SIGKILL at random and restarted.
 * Afterwards every report is posted exactly once in the ERP simulator (by the posting's reference),
 * balanced per currency and confirmed; no step of a job was recorded by two holders at overlapping
 * times (no job held by two live leases); the audit chain verifies.
 *
 * LEDGERLINK_SCALE_DOCUMENTS sets the number of reports (default 60 to keep the suite short;
 * run it with 5000 for the full figure).
 */
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { describe, test } from 'node:test';
import pg from 'pg';
import {
  prepareHubStore,
  startServe,
  startSimulatorProcess,
  stopChild,
  type Simulators,
} from '../../bench/e2e-estate.js';
import { expenseReport } from '../../src/demo/demo-documents.js';
import { balancePerCurrency } from '../demo/published-examples-hub.js';
import { createTestDatabase, testPostgresUrl } from '../helpers/stores.js';
import type { SimDocument } from '../../src/connectors/sim-kit/documents.js';

const DOCUMENTS = Number(process.env['LEDGERLINK_SCALE_DOCUMENTS'] ?? 60);
const WORKERS = 3;
const DROPPED_ANSWERS = 10;
const settings = { pollIntervalMs: 1_000, liftVendorLimits: true, leaseMs: 3_000 };

interface RunSummary {
  readonly id: string;
  readonly documentId: string;
  readonly status: string;
  readonly finishedAt: string | null;
}

async function api<T>(url: string, token: string, path: string): Promise<T> {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function expenseRuns(url: string, token: string): Promise<RunSummary[]> {
  const rows: RunSummary[] = [];
  for (let before: string | undefined; ;) {
    const query = new URLSearchParams({ flow: 'expense-posting', limit: '500', ...(before ? { before } : {}) });
    const { runs } = await api<{ runs: RunSummary[] }>(url, token, `/v1/runs?${query}`);
    rows.push(...runs);
    if (runs.length < 500) return rows;
    before = runs[runs.length - 1]!.id;
  }
}

/**
 * Kills a running worker, chosen at random, with SIGKILL every 1.5–4 s while another runs, and starts a new one in its place
 * (in the background: a start takes a few seconds, and the next kill does not wait for it).
 */
class Chaos {
  kills = 0;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly starting = new Set<Promise<void>>();

  constructor(
    readonly workers: (ChildProcess | undefined)[],
    private readonly start: () => Promise<ChildProcess>,
  ) {}

  run(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        await new Promise((r) => setTimeout(r, 1_500 + Math.random() * 2_500));
        const running = this.workers.flatMap((w, i) => (w === undefined ? [] : [i]));
        // One worker at least keeps running: the others die around it.
        if (this.stopped || running.length < 2) continue;
        const index = running[Math.floor(Math.random() * running.length)]!;
        const victim = this.workers[index]!;
        this.workers[index] = undefined;
        const exited = new Promise((r) => victim.once('exit', r));
        victim.kill('SIGKILL');
        await exited;
        this.kills++;
        const restart = this.start().then((child) => {
          this.workers[index] = child;
        });
        this.starting.add(restart);
        void restart.finally(() => this.starting.delete(restart));
      }
    })();
  }

  /** Answers once `n` workers have been killed in all. */
  async killed(n: number): Promise<void> {
    while (this.kills < n && !this.stopped) await new Promise((r) => setTimeout(r, 100));
  }

  /** Stops killing; answers once every replacement has started. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await Promise.all(this.starting);
  }

  get running(): ChildProcess[] {
    return this.workers.filter((w): w is ChildProcess => w !== undefined);
  }
}

describe('scale-out on PostgreSQL', () => {
  test(
    `one API and ${WORKERS} workers, ${DOCUMENTS} reports, workers killed throughout, answers lost after commit: each report posted once`,
    { timeout: 20 * 60_000 },
    async (t) => {
      const database = await createTestDatabase('postgres', 'scale_out');
      const token = await prepareHubStore(database.location);
      let sims: Simulators | undefined;
      const children: ChildProcess[] = [];
      let chaos: Chaos | undefined;
      try {
        sims = await startSimulatorProcess();
        const estate = sims;
        const erp = estate.byName['erp']!.url;
        const faults = await fetch(`${erp}/_sim/faults`, {
          method: 'POST',
          body: JSON.stringify({
            dropAfterCommit: { count: DROPPED_ANSWERS },
            pathPattern: 'journalentrycreaterequestconfi|A_SupplierInvoice|API_SUPPLIERINVOICE_PROCESS_SRV/\\$batch',
          }),
        });
        assert.ok(faults.ok, 'faults set');
        const apiProcess = await startServe(database.location, estate, settings, 'api');
        children.push(apiProcess.child);
        const url = apiProcess.url!;
        const startWorker = async (): Promise<ChildProcess> =>
          (await startServe(database.location, estate, settings, 'worker')).child;
        const workers = await Promise.all(Array.from({ length: WORKERS }, startWorker));
        chaos = new Chaos(workers, startWorker);

        const random = (() => {
          let state = 7;
          return () => ((state = (state * 1664525 + 1013904223) >>> 0), state / 2 ** 32);
        })();
        const today = new Date().toISOString().slice(0, 10);
        const injected = new Set<string>();
        const started = Date.now();
        chaos.run();
        // Reports go in in three waves, each after a worker was killed, so that kills always find
        // work in flight however fast the workers post.
        for (let i = 0; i < DOCUMENTS; i++) {
          if (i > 0 && i % Math.ceil(DOCUMENTS / 3) === 0) await chaos.killed(i / Math.ceil(DOCUMENTS / 3));
          const report = expenseReport(random, { date: today });
          injected.add(report.id);
          const response = await fetch(`${estate.byName['expense']!.url}/_sim/fis/documents`, {
            method: 'POST',
            body: report.text,
          });
          assert.ok(response.ok, `report ${i} accepted by the expense simulator`);
        }
        await chaos.killed(3);
        let runs: RunSummary[] = [];
        const deadline = Date.now() + 18 * 60_000;
        while (Date.now() < deadline) {
          runs = (await expenseRuns(url, token)).filter((r) => injected.has(r.documentId));
          if (runs.length >= DOCUMENTS && runs.every((r) => r.finishedAt !== null || r.status === 'exception')) break;
          await new Promise((r) => setTimeout(r, 1_000));
        }
        await chaos.stop();
        const seconds = (Date.now() - started) / 1000;
        t.diagnostic(
          `${DOCUMENTS} reports in ${seconds.toFixed(1)} s (${(DOCUMENTS / seconds).toFixed(1)}/s) with ${chaos.kills} workers killed`,
        );
        assert.ok(chaos.kills >= 3, `workers were killed (${chaos.kills})`);
        const left = ((await (await fetch(`${erp}/_sim/faults`)).json()) as { dropAfterCommitLeft?: number })
          .dropAfterCommitLeft;
        t.diagnostic(`${DROPPED_ANSWERS - (left ?? 0)} ERP answers lost after commit`);
        assert.ok((left ?? DROPPED_ANSWERS) < DROPPED_ANSWERS, 'the ERP lost answers after committing');
        assert.equal(runs.length, DOCUMENTS, 'one run per report');
        const unfinished: string[] = [];
        for (const run of runs.filter((r) => r.status !== 'succeeded')) {
          const { exceptions } = await api<{ exceptions: { code: string; message: string; step?: string }[] }>(
            url,
            token,
            `/v1/runs/${run.id}`,
          );
          unfinished.push(
            `${run.documentId} ${run.status} ${exceptions.map((e) => `${e.code} ${e.message}`).join('; ')}`,
          );
        }
        assert.deepEqual(unfinished, [], 'every report posted');

        for (const run of runs) {
          const detail = await api<{ effects: { system: string; step: string; idempotencyKey: string }[] }>(
            url,
            token,
            `/v1/runs/${run.id}`,
          );
          const posts = detail.effects.filter((e) => e.system === 'erp' && e.step === 'post');
          assert.ok(posts.length > 0, `${run.documentId}: posted to the ERP`);
          for (const effect of posts) {
            const created = (await (
              await fetch(`${erp}/_sim/documents?reference=${encodeURIComponent(effect.idempotencyKey)}`)
            ).json()) as SimDocument[];
            assert.equal(created.length, 1, `${run.documentId}: ${effect.idempotencyKey} created once`);
            for (const [currency, net] of Object.entries(balancePerCurrency(created)))
              assert.equal(net, '0.00', `${run.documentId}: balanced in ${currency}`);
          }
          const confirmed = (await (
            await fetch(
              `${estate.byName['expense']!.url}/_sim/documents?reference=${run.documentId}&kind=posting_confirmation`,
            )
          ).json()) as unknown[];
          assert.equal(confirmed.length, 1, `${run.documentId}: confirmed once`);
        }

        const client = new pg.Client({ connectionString: testPostgresUrl });
        await client.connect();
        try {
          const schema = new URL(database.location).searchParams.get('schema')!;
          const overlapping = await client.query(
            `SELECT a.job_id FROM "${schema}".run_steps a JOIN "${schema}".run_steps b
               ON a.job_id = b.job_id AND a.id < b.id
              WHERE a.started_at < b.finished_at AND b.started_at < a.finished_at
              LIMIT 5`,
          );
          assert.deepEqual(overlapping.rows, [], 'no job step recorded by two holders at overlapping times');
        } finally {
          await client.end();
        }

        const verify = spawnSync(
          process.execPath,
          ['--import', 'tsx', 'src/cli/main.ts', 'audit', 'verify', '--db', database.location],
          { encoding: 'utf8' },
        );
        assert.equal(verify.status, 0, `audit verify: ${verify.stdout}${verify.stderr}`);
      } finally {
        await chaos?.stop();
        for (const child of [...children, ...(chaos?.running ?? [])]) await stopChild(child);
        if (sims !== undefined) await stopChild(sims.child);
        await database.drop();
      }
    },
  );
});
