/** `ledgerlink simulate --json`: every simulator starts, answers its /_sim/ surface, and stops on SIGTERM. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';

test(
  'simulate --json prints one line with every simulator, each serving /_sim/documents, and exits 0 on SIGTERM',
  { timeout: 60_000 },
  async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'simulate', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = once(child, 'exit');
    try {
      for (let i = 0; i < 300 && !stdout.includes('\n'); i++) await new Promise((r) => setTimeout(r, 100));
      const line = JSON.parse(stdout.split('\n')[0]!) as {
        simulators: { name: string; url: string; credentials: Record<string, string> }[];
      };
      assert.deepEqual(
        line.simulators.map((s) => s.name),
        ['erp', 'procurement', 'expense', 'directory', 'bc'],
      );
      for (const sim of line.simulators) {
        assert.ok(Object.keys(sim.credentials).length > 0, `${sim.name} has demo credentials`);
        const response = await fetch(`${sim.url}/_sim/documents`);
        assert.equal(response.status, 200, `${sim.name} serves /_sim/documents`);
        assert.ok(Array.isArray(await response.json()));
      }
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    assert.equal(code, 0);
  },
);

test('simulate refuses an unknown simulator name with exit code 2', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'simulate', 'mainframe'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = await once(child, 'exit');
  assert.equal(code, 2);
  assert.match(stderr, /unknown simulator mainframe/);
});
