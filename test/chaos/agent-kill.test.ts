/**
 * An on-premises agent killed and restarted during a run: the ERP simulator listens on 127.0.0.2,
 * which the hub's egress policy refuses (`network.refuseHosts`), so postings reach it only through
 * `ledgerlink agent` (the ERP system says `via: agent:onprem`, and its credentials are in the agent's
 * environment only). Approved expense reports go into the expense simulator while the agent is
 * killed with SIGKILL twice and restarted. Afterwards every report is posted exactly once in the ERP
 * simulator (by the posting's reference), and the hub reports the agent connected with its figures.
 *
 * LEDGERLINK_AGENT_DOCUMENTS sets the number of reports (default 40, to stay near a minute per store; the 500 figure is in
 * docs/operations.md). Runs on both stores; LEDGERLINK_AGENT_STORES=sqlite narrows it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { parseDocument } from 'yaml';
import { freePort, startChild, stopChild } from '../../bench/bench-support.js';
import { prepareHubStore } from '../../bench/e2e-estate.js';
import { expenseReport } from '../../src/demo/demo-documents.js';
import type { SimDocument } from '../../src/connectors/sim-kit/documents.js';
import { TokenStore } from '../../src/security/api-tokens.js';
import { openStore } from '../../src/store/open-store.js';
import { createTestDatabase, storeKinds } from '../helpers/stores.js';

const DOCUMENTS = Number(process.env['LEDGERLINK_AGENT_DOCUMENTS'] ?? 40);
const STORES = storeKinds.filter((k) => (process.env['LEDGERLINK_AGENT_STORES'] ?? k).split(',').includes(k));
const ERP_HOST = '127.0.0.2';

interface Sim {
  readonly name: string;
  readonly url: string;
  readonly credentials: Record<string, string>;
}

async function simulate(names: readonly string[], host: string): Promise<{ child: ChildProcess; sims: Sim[] }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'simulate', ...names, '--json', '--host', host],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LEDGERLINK_LOG_LEVEL: 'warn' } },
  );
  let output = '';
  const line = await new Promise<string>((done, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const end = output.indexOf('\n');
      if (end >= 0) done(output.slice(0, end));
    });
    child.once('exit', (code) => fail(new Error(`simulate exited with ${code}`)));
  });
  return { child, sims: (JSON.parse(line) as { simulators: Sim[] }).simulators };
}

function hubConfig(byName: Record<string, Sim>): string {
  const doc = parseDocument(readFileSync('ledgerlink.demo.yaml', 'utf8'));
  for (const name of ['erp', 'procurement', 'expense', 'directory', 'bc']) {
    const sim = byName[name]!;
    doc.setIn(['systems', name, 'baseUrl'], sim.credentials['scimUrl'] ?? sim.credentials['apiUrl'] ?? sim.url);
    if (name === 'bc') doc.setIn(['systems', name, 'options', 'tokenUrl'], sim.credentials['tokenUrl']);
    doc.setIn(['systems', name, 'options', 'rateLimit'], false);
  }
  // The ERP is reached through the agent only, and the hub holds none of its credentials.
  doc.setIn(['systems', 'erp', 'via'], 'agent:onprem');
  doc.deleteIn(['systems', 'erp', 'credentials']);
  doc.setIn(['systems', 'erp', 'timeoutMs'], 5_000);
  doc.setIn(['systems', 'erp', 'options', 'circuitBreaker'], { failureThreshold: 5, openMs: 500 });
  doc.setIn(['network', 'refuseHosts'], [ERP_HOST]);
  doc.setIn(['flows', 'expensePosting', 'trigger', 'pollIntervalMs'], 1_000);
  doc.setIn(['engine', 'leaseMs'], 10_000);
  doc.setIn(['engine', 'maxAttempts'], 100);
  doc.setIn(['engine', 'backoff'], { baseMs: 100, capMs: 1_000 });
  doc.setIn(['mappings', 'directory'], resolve('mappings'));
  const file = join(mkdtempSync(join(tmpdir(), 'll-agent-')), 'ledgerlink.yaml');
  writeFileSync(file, doc.toString());
  return file;
}

function agentConfig(hubUrl: string, erpUrl: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'll-agent-')), 'agent.yaml');
  writeFileSync(
    file,
    [
      'name: onprem',
      `hub: ${hubUrl}`,
      'token: { env: TEST_AGENT_TOKEN }',
      'pollWaitMs: 5000',
      'systems:',
      '  erp:',
      `    baseUrl: ${erpUrl}`,
      '    auth: { kind: basic, user: { env: TEST_ERP_USER }, password: { env: TEST_ERP_PASSWORD } }',
      '',
    ].join('\n'),
  );
  return file;
}

async function api<T>(url: string, token: string, path: string): Promise<T> {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface RunSummary {
  readonly id: string;
  readonly documentId: string;
  readonly status: string;
  readonly finishedAt: string | null;
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

for (const kind of STORES) {
  describe(`on-premises agent killed during a run [${kind}]`, () => {
    test(`${DOCUMENTS} reports through the agent, SIGKILL twice: each posted once`, { timeout: 600_000 }, async (t) => {
      const database = await createTestDatabase(kind, 'agent_kill');
      const adminToken = await prepareHubStore(database.location);
      const store = await openStore(database.location);
      const agentToken = (await new TokenStore(store).create({ name: 'agent onprem', roles: ['agent:onprem'] })).secret;
      await store.close();
      const children: ChildProcess[] = [];
      let agent: ChildProcess | undefined;
      try {
        const erpSim = await simulate(['erp'], ERP_HOST);
        children.push(erpSim.child);
        const rest = await simulate(['procurement', 'expense', 'directory', 'bc'], '127.0.0.1');
        children.push(rest.child);
        const byName = Object.fromEntries([...erpSim.sims, ...rest.sims].map((s) => [s.name, s]));
        const erp = byName['erp']!;
        assert.ok(new URL(erp.url).hostname === ERP_HOST, 'the ERP simulator listens on the refused address');
        // Postings take a while at the ERP, so a kill finds some in flight: the ERP still commits
        // them after the agent died, and the hub has to settle them by lookup.
        const faults = await fetch(`${erp.url}/_sim/faults`, {
          method: 'POST',
          body: JSON.stringify({
            latencyMs: 400,
            pathPattern: 'journalentrycreaterequestconfi|A_SupplierInvoice|\\$batch',
          }),
        });
        assert.ok(faults.ok, 'ERP latency set');
        const c = (name: string, key: string): string => byName[name]?.credentials[key] ?? '';
        const port = await freePort();
        const hub = await startChild(
          [
            'src/cli/main.ts',
            'serve',
            '--config',
            hubConfig(byName),
            '--db',
            database.location,
            '--port',
            String(port),
          ],
          /listening on/,
          {
            LEDGERLINK_DEMO_PROCUREMENT_CLIENT_ID: c('procurement', 'clientId'),
            LEDGERLINK_DEMO_PROCUREMENT_CLIENT_SECRET: c('procurement', 'clientSecret'),
            LEDGERLINK_DEMO_EXPENSE_CLIENT_ID: c('expense', 'clientId'),
            LEDGERLINK_DEMO_EXPENSE_CLIENT_SECRET: c('expense', 'clientSecret'),
            LEDGERLINK_DEMO_EXPENSE_COMPANY_UUID: c('expense', 'companyUuid'),
            LEDGERLINK_DEMO_EXPENSE_COMPANY_TOKEN: c('expense', 'companyToken'),
            LEDGERLINK_DEMO_DIRECTORY_TOKEN: c('directory', 'token'),
            LEDGERLINK_DEMO_BC_CLIENT_ID: c('bc', 'clientId'),
            LEDGERLINK_DEMO_BC_CLIENT_SECRET: c('bc', 'clientSecret'),
          },
        );
        children.push(hub);
        const url = `http://127.0.0.1:${port}`;
        const agentFile = agentConfig(url, erp.url);
        const agentEnv = {
          TEST_AGENT_TOKEN: agentToken,
          TEST_ERP_USER: c('erp', 'user'),
          TEST_ERP_PASSWORD: c('erp', 'password'),
        };
        const startAgent = (): Promise<ChildProcess> =>
          startChild(['src/cli/main.ts', 'agent', '--config', agentFile], /agent onprem running/, agentEnv);
        agent = await startAgent();

        const random = (() => {
          let state = 11;
          return () => ((state = (state * 1664525 + 1013904223) >>> 0), state / 2 ** 32);
        })();
        const today = new Date().toISOString().slice(0, 10);
        const injected = new Set<string>();
        const started = Date.now();
        const kills: number[] = [];
        // Kill the agent while it holds calls (the hub counts them in flight): once a quarter of the
        // reports is posted, and again past half. Each kill loses the answers of the calls it held.
        const chaos = (async () => {
          for (const share of [0.25, 0.55]) {
            for (;;) {
              const done = (await expenseRuns(url, adminToken)).filter((r) => r.status === 'succeeded').length;
              const { agents } = await api<{ agents: { name: string; callsInFlight: number }[] }>(
                url,
                adminToken,
                '/v1/kpis',
              );
              if (done >= DOCUMENTS * share && (agents.find((a) => a.name === 'onprem')?.callsInFlight ?? 0) > 0) break;
              if (Date.now() - started > 120_000) return;
              await new Promise((r) => setTimeout(r, 10));
            }
            const victim = agent!;
            const exited = new Promise((r) => victim.once('exit', r));
            victim.kill('SIGKILL');
            await exited;
            kills.push(Date.now() - started);
            agent = await startAgent();
          }
        })();
        for (let i = 0; i < DOCUMENTS; i++) {
          const report = expenseReport(random, { date: today });
          injected.add(report.id);
          const response = await fetch(`${byName['expense']!.url}/_sim/fis/documents`, {
            method: 'POST',
            body: report.text,
          });
          assert.ok(response.ok, `report ${i} accepted by the expense simulator`);
        }
        let runs: RunSummary[] = [];
        const deadline = Date.now() + 240_000;
        while (Date.now() < deadline) {
          runs = (await expenseRuns(url, adminToken)).filter((r) => injected.has(r.documentId));
          if (runs.length >= DOCUMENTS && runs.every((r) => r.finishedAt !== null || r.status === 'exception')) break;
          await new Promise((r) => setTimeout(r, 500));
        }
        await chaos;
        const seconds = (Date.now() - started) / 1000;
        t.diagnostic(
          `${DOCUMENTS} reports posted through the agent in ${seconds.toFixed(1)} s (${(DOCUMENTS / seconds).toFixed(1)}/s), agent killed at ${kills.map((k) => `${(k / 1000).toFixed(1)} s`).join(' and ')}`,
        );
        assert.equal(kills.length, 2, 'the agent was killed twice');
        assert.equal(runs.length, DOCUMENTS, 'one run per report');
        assert.deepEqual(
          runs.filter((r) => r.status !== 'succeeded').map((r) => `${r.documentId} ${r.status}`),
          [],
          'every report posted',
        );
        let lookedUp = 0;
        for (const run of runs) {
          const detail = await api<{
            effects: { system: string; step: string; idempotencyKey: string; result?: string | null }[];
          }>(url, adminToken, `/v1/runs/${run.id}`);
          const posts = detail.effects.filter((e) => e.system === 'erp' && e.step === 'post');
          assert.ok(posts.length > 0, `${run.documentId}: posted to the ERP`);
          for (const effect of posts) {
            if (effect.result?.includes('found by reference') === true) lookedUp++;
            const created = (await (
              await fetch(`${erp.url}/_sim/documents?reference=${encodeURIComponent(effect.idempotencyKey)}`)
            ).json()) as SimDocument[];
            assert.equal(created.length, 1, `${run.documentId}: ${effect.idempotencyKey} created once`);
          }
        }
        const kpis = await api<{
          agents?: {
            name: string;
            connected: boolean;
            callsLost: number;
            callsAnswered: number;
            latencyMs: number | null;
            version: string | null;
          }[];
        }>(url, adminToken, '/v1/kpis');
        const onprem = kpis.agents?.find((a) => a.name === 'onprem');
        t.diagnostic(
          `agent: ${JSON.stringify(onprem)}; ${lookedUp} postings confirmed by lookup after an unknown outcome`,
        );
        assert.ok(onprem?.connected === true, 'the agent is connected again');
        assert.ok((onprem?.callsAnswered ?? 0) > 0, 'the agent answered the calls');
      } finally {
        if (agent !== undefined) await stopChild(agent);
        for (const child of children.reverse()) await stopChild(child);
        await database.drop();
      }
    });
  });
}
