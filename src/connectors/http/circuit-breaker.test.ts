import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LedgerlinkError } from '../../canonical/errors.js';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';
import { rejectsWith } from './local-test-server.js';

const transient = (): Promise<never> => Promise.reject(new LedgerlinkError('LL_ERR_REMOTE_TRANSIENT', 'down'));
const rejected = (): Promise<never> => Promise.reject(new LedgerlinkError('LL_ERR_REMOTE_REJECTED', 'no'));
const ok = (): Promise<string> => Promise.resolve('ok');

function breakerWithClock(
  failureThreshold = 3,
  openMs = 1_000,
): { breaker: CircuitBreaker; clock: { t: number }; moves: string[] } {
  const clock = { t: 0 };
  const moves: string[] = [];
  const breaker = new CircuitBreaker({
    system: 'sap',
    failureThreshold,
    openMs,
    now: () => clock.t,
    onStateChange: (from: CircuitState, to: CircuitState) => moves.push(`${from}->${to}`),
  });
  return { breaker, clock, moves };
}

describe('CircuitBreaker', () => {
  test('opens after N consecutive transient failures; a success in between resets the count', async () => {
    const { breaker } = breakerWithClock(3);
    await rejectsWith('LL_ERR_REMOTE_TRANSIENT', breaker.execute(transient));
    await rejectsWith('LL_ERR_REMOTE_TRANSIENT', breaker.execute(transient));
    assert.equal(await breaker.execute(ok), 'ok');
    assert.equal(breaker.consecutiveFailures, 0);
    for (let i = 0; i < 3; i++) await rejectsWith('LL_ERR_REMOTE_TRANSIENT', breaker.execute(transient));
    assert.equal(breaker.state, 'open');
  });

  test('rejections and auth failures do not count: the remote is answering', async () => {
    const { breaker } = breakerWithClock(2);
    for (let i = 0; i < 5; i++) await rejectsWith('LL_ERR_REMOTE_REJECTED', breaker.execute(rejected));
    assert.equal(breaker.state, 'closed');
  });

  test('open answers at once with the remaining open time, without calling', async () => {
    const { breaker, clock } = breakerWithClock(1, 1_000);
    await rejectsWith('LL_ERR_REMOTE_TRANSIENT', breaker.execute(transient));
    clock.t = 400;
    let called = false;
    const error = await rejectsWith(
      'LL_ERR_REMOTE_TRANSIENT',
      breaker.execute(() => ((called = true), ok())),
    );
    assert.equal(called, false);
    assert.equal(error.retryAfterMs, 600);
    assert.ok(CircuitBreaker.isRefusal(error));
    assert.equal(error.details[0]?.circuit, 'open');
  });

  test('half-open lets one probe through; success closes, failure opens again', async () => {
    const { breaker, clock, moves } = breakerWithClock(1, 1_000);
    await rejectsWith('LL_ERR_REMOTE_TRANSIENT', breaker.execute(transient));
    clock.t = 1_000;
    assert.equal(breaker.state, 'half_open');
    let release!: () => void;
    const probe = breaker.execute(() => new Promise<string>((resolve) => (release = () => resolve('probe'))));
    const second = await rejectsWith('LL_ERR_REMOTE_TRANSIENT', breaker.execute(ok));
    assert.ok(CircuitBreaker.isRefusal(second), 'only one probe at a time');
    release();
    assert.equal(await probe, 'probe');
    assert.equal(breaker.state, 'closed');

    await rejectsWith('LL_ERR_REMOTE_TRANSIENT', breaker.execute(transient));
    clock.t = 2_500;
    await rejectsWith('LL_ERR_REMOTE_TRANSIENT', breaker.execute(transient)); // the failing probe
    assert.equal(breaker.state, 'open');
    clock.t = 3_000;
    const again = await rejectsWith('LL_ERR_REMOTE_TRANSIENT', breaker.execute(ok));
    assert.equal(again.retryAfterMs, 500, 'opened anew when the probe failed');
    assert.deepEqual(moves, [
      'closed->open',
      'open->half_open',
      'half_open->closed',
      'closed->open',
      'open->half_open',
      'half_open->open',
    ]);
  });

  test('a probe cancelled by the caller (not a coded error) frees the slot for another probe', async () => {
    const { breaker, clock } = breakerWithClock(1, 100);
    await rejectsWith('LL_ERR_REMOTE_TRANSIENT', breaker.execute(transient));
    clock.t = 100;
    await assert.rejects(
      breaker.execute(() => Promise.reject(new Error('aborted'))),
      /aborted/,
    );
    assert.equal(breaker.state, 'half_open');
    assert.equal(await breaker.execute(ok), 'ok');
    assert.equal(breaker.state, 'closed');
  });
});
