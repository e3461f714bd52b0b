/**
 * `ledgerlink demo --json`: the estate starts, prints one JSON line with the hub, an admin token and
 * the simulators; the token works; SIGINT stops
 * everything with exit 0; a second start resumes from the same database with the same token.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { waitFor } from '../helpers/wait.js';

interface DemoLine {
  readonly hub: string;
  readonly adminToken: string;
  readonly simulators: readonly { name: string; url: string; credentials: Record<string, string> }[];
}

const dir = mkdtempSync(join(tmpdir(), 'll-demo-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function withDemo(args: readonly string[], use: (line: DemoLine) => Promise<void>): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'demo', '--json', '--port', '0', '--db', join(dir, 'demo.db'), ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  try {
    await waitFor('the demo line', () => stdout.includes('\n') || child.exitCode !== null, 90_000, 100);
    assert.ok(stdout.includes('\n'), `demo exited early: ${stderr}`);
    await use(JSON.parse(stdout.split('\n')[0]!) as DemoLine);
  } finally {
    child.kill('SIGINT');
  }
  const [code] = await exited;
  assert.equal(code, 0, stderr);
  assert.equal(stdout.trim().split('\n').length, 1, 'stdout holds the JSON line only');
}

test('demo starts the estate, its token works, and a restart resumes', { timeout: 240_000 }, async () => {
  let firstToken = '';
  await withDemo(['--rate', '600'], async (line) => {
    assert.deepEqual(
      line.simulators.map((s) => s.name),
      ['erp', 'procurement', 'expense', 'directory', 'bc'],
    );
    assert.match(line.adminToken, /^llt_/);
    firstToken = line.adminToken;
    const unauthorised = await fetch(`${line.hub}/v1/runs`);
    assert.ok([200, 401].includes(unauthorised.status));
    const runs = await fetch(`${line.hub}/v1/runs`, { headers: { authorization: `Bearer ${line.adminToken}` } });
    assert.equal(runs.status, 200);
  });
  await withDemo(['--no-traffic'], async (line) => {
    assert.equal(line.adminToken, firstToken, 'the second start reuses the admin token of the same database');
    const health = await fetch(`${line.hub}/healthz`);
    assert.equal(health.status, 200);
  });
});
