/**
 * The shared part of the connector contract suite: every connector, against its own simulator over
 * real HTTP, must turn each injected fault into the coded error of its exception class (DESIGN.md
 * section 7). A connector's `*.contract.test.ts` calls `describeFaultContract` with one read call of
 * its own; the simulator's `/_sim/faults` does the rest.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLedgerlinkError, type ErrorCode } from '../../canonical/errors.js';

export interface FaultContractSubject {
  /** The simulator's base URL (read when the tests run, after it started). */
  readonly simulatorUrl: () => string;
  /** One read through the connector; it must succeed when no fault is set. */
  readonly call: () => Promise<unknown>;
}

export async function setFaults(simulatorUrl: string, faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${simulatorUrl}/_sim/faults`, { method: 'POST', body: JSON.stringify(faults) });
  assert.equal(response.status, 200, 'the simulator accepts the fault settings');
}

export async function expectCode(
  call: () => Promise<unknown>,
  code: ErrorCode,
): Promise<{ retryAfterMs: number | undefined }> {
  let caught: unknown;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  assert.ok(
    isLedgerlinkError(caught),
    `expected ${code}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`,
  );
  assert.equal(caught.code, code, caught.message);
  return { retryAfterMs: caught.retryAfterMs };
}

/** Registers the fault-class tests for one connector. The connector's timeout must be short (≤ 2 s). */
export function describeFaultContract(name: string, subject: FaultContractSubject): void {
  describe(`${name}: faults map to exception classes`, () => {
    test('a 5xx answer is transient', async () => {
      await setFaults(subject.simulatorUrl(), { errorRate: 1, errorStatus: 503 });
      try {
        await expectCode(subject.call, 'LL_ERR_REMOTE_TRANSIENT');
      } finally {
        await setFaults(subject.simulatorUrl(), {});
      }
      await subject.call();
    });

    test('429 is transient and carries Retry-After', async () => {
      await setFaults(subject.simulatorUrl(), { rateLimit: { count: 50, retryAfterSeconds: 3 } });
      try {
        const { retryAfterMs } = await expectCode(subject.call, 'LL_ERR_REMOTE_TRANSIENT');
        assert.equal(retryAfterMs, 3_000);
      } finally {
        await setFaults(subject.simulatorUrl(), {});
      }
    });

    test('a maintenance window is transient and says how long', async () => {
      await setFaults(subject.simulatorUrl(), { maintenance: { forSeconds: 120 } });
      try {
        const { retryAfterMs } = await expectCode(subject.call, 'LL_ERR_REMOTE_TRANSIENT');
        assert.ok(retryAfterMs !== undefined && retryAfterMs >= 100_000, `retryAfterMs ${retryAfterMs}`);
      } finally {
        await setFaults(subject.simulatorUrl(), {});
      }
    });

    test('no answer before the timeout is transient', async () => {
      await setFaults(subject.simulatorUrl(), { timeout: { count: 50, holdMs: 10_000 } });
      try {
        await expectCode(subject.call, 'LL_ERR_REMOTE_TRANSIENT');
      } finally {
        await setFaults(subject.simulatorUrl(), {});
      }
    });
  });
}
