/**
 * Crash test: a separate worker process is killed with SIGKILL between the external write and its
 * recording, and then at random moments, at least 20 times in all. After it is restarted for the last
 * time every accepted event must have produced exactly one write at the counting sink, checked by
 * reference, on both stores.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, test } from 'node:test';
import { idempotencyKey } from '../../src/engine/keys.js';
import { Engine } from '../../src/engine/engine.js';
import { runKeyOf } from '../../src/engine/keys.js';
import { openStore } from '../../src/store/open-store.js';
import { CountingSink } from '../helpers/counting-sink.js';
import { countRows, echoEvent } from '../helpers/engine-fixture.js';
import { createTestDatabase, storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';

const EVENTS = 150;
const KILLS_AT_WRITE = 10;
const MIN_KILLS = 22;

class WorkerSupervisor {
  kills = 0;
  starts = 0;
  private child: ChildProcess | undefined;
  private stopping = false;

  constructor(
    private readonly location: string,
    private readonly sinkUrl: string,
  ) {}

  start(): void {
    this.starts++;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/chaos/worker-process.ts', this.location, this.sinkUrl],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    this.child = child;
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
      if (!this.stopping) this.start();
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  kill(): void {
    const child = this.child;
    if (child?.pid === undefined || child.exitCode !== null) return;
    this.kills++;
    child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

for (const kind of storeKinds) {
  describe(`crash recovery [${kind}]`, () => {
    test(
      `SIGKILL between write and record, and at random, ${MIN_KILLS}+ times: every event written exactly once`,
      { timeout: 240_000 },
      async () => {
        const database = await createTestDatabase(kind, 'crash');
        const store = await openStore(database.location, { migrate: true });
        const sink = new CountingSink();
        const sinkUrl = await sink.start();
        const ingest = new Engine({ store, flows: [] });
        const supervisor = new WorkerSupervisor(database.location, sinkUrl);
        try {
          const accepted = await Promise.all(
            Array.from({ length: EVENTS }, (_, i) => ingest.accept(echoEvent(`crash-${i}`))),
          );
          assert.equal(accepted.filter((a) => a.duplicate).length, 0);

          // Phase 1: the sink commits the write, then the worker dies before it can record it.
          let killsAtWrite = 0;
          sink.afterCommit = () => {
            if (killsAtWrite < KILLS_AT_WRITE && Math.random() < 0.5) {
              killsAtWrite++;
              supervisor.kill();
            }
          };
          supervisor.start();
          await waitFor('kills between write and record', () => killsAtWrite >= KILLS_AT_WRITE, 120_000, 50);
          sink.afterCommit = undefined;

          // Phase 2: kills at random moments.
          while (supervisor.kills < MIN_KILLS) {
            await new Promise((r) => setTimeout(r, 150 + Math.random() * 600));
            supervisor.kill();
          }

          // Let the last worker finish everything.
          await waitFor(
            'every run succeeded',
            async () => (await countRows(ingest, 'runs', { status: 'succeeded' })) === EVENTS,
            120_000,
            100,
          );

          const duplicates: string[] = [];
          for (let i = 0; i < EVENTS; i++) {
            const reference = idempotencyKey(runKeyOf('echo', 'echo', `crash-${i}`, '1'), 'post', 'post');
            if (sink.count(reference) !== 1) duplicates.push(`crash-${i}: ${sink.count(reference)} writes`);
          }
          assert.deepEqual(duplicates, [], 'each accepted event produced exactly one write');
          assert.equal(sink.writes.length, EVENTS);
          assert.equal(await countRows(ingest, 'effects', { status: 'confirmed' }), EVENTS);
          assert.equal(await countRows(ingest, 'runs'), EVENTS, 'no half-written or extra runs');
          assert.equal((await ingest.verifyAudit()).ok, true);
          assert.ok(supervisor.kills >= MIN_KILLS, `killed ${supervisor.kills} times`);
        } finally {
          await supervisor.stop();
          await sink.stop();
          await store.close();
          await database.drop();
        }
      },
    );
  });
}
