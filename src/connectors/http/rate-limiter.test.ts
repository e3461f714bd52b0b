import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { HttpClient } from './http-client.js';
import { rejectsWith, sendJson, startTestServer } from './local-test-server.js';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter (token bucket)', () => {
  test('a burst goes at once, the rest waits and is served in arrival order', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 50, burst: 5 });
    const order: number[] = [];
    const started = performance.now();
    const all = Array.from({ length: 15 }, (_, i) => limiter.acquire().then(() => order.push(i)));
    await tick();
    assert.equal(order.length, 5, 'only the burst is through at first');
    assert.equal(limiter.waiting, 10);
    await Promise.all(all);
    const elapsed = performance.now() - started;
    assert.deepEqual(order, [...Array(15).keys()], 'first come first served');
    // 10 tokens at 50/s need at least 200 ms; timers never fire early.
    assert.ok(elapsed >= 190, `took ${elapsed} ms`);
    assert.ok(elapsed < 5_000, `took ${elapsed} ms`);
  });

  test('a late arrival does not jump the queue even when a token is free', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 20, burst: 1 });
    await limiter.acquire();
    const order: string[] = [];
    const first = limiter.acquire().then(() => order.push('queued'));
    assert.equal(limiter.tryAcquire(), false);
    await first;
    const second = limiter.acquire().then(() => order.push('later'));
    await second;
    assert.deepEqual(order, ['queued', 'later']);
  });

  test('an aborted waiter leaves the queue and the next one moves up', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 1 });
    await limiter.acquire();
    const controller = new AbortController();
    const order: string[] = [];
    const aborted = limiter.acquire(controller.signal).then(
      () => order.push('aborted'),
      () => order.push('rejected'),
    );
    const next = limiter.acquire().then(() => order.push('next'));
    controller.abort(new Error('stop'));
    await Promise.all([aborted, next]);
    assert.deepEqual(order, ['rejected', 'next']);
    assert.equal(limiter.waiting, 0);
  });

  test('holdFor (a 429 Retry-After) lets nothing through for that long', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 1000, burst: 10 });
    limiter.holdFor(150);
    const started = performance.now();
    assert.equal(limiter.tryAcquire(), false);
    await limiter.acquire();
    assert.ok(performance.now() - started >= 140);
  });

  test('paces requests of an HttpClient: a burst, then the rest spread at the rate', async () => {
    const arrivals: number[] = [];
    const server = await startTestServer((req, res) => {
      arrivals.push(performance.now());
      sendJson(res, 200, { path: req.url });
    });
    try {
      const client = new HttpClient({
        system: 'coupa',
        baseUrl: server.origin,
        rateLimiter: new RateLimiter({ ratePerSecond: 100, burst: 3 }),
      });
      const started = performance.now();
      await Promise.all(Array.from({ length: 12 }, (_, i) => client.request({ path: `n/${i}` })));
      assert.equal(server.requests.length, 12);
      // 9 requests beyond the burst at 100/s cannot all be sent before 90 ms.
      const last = Math.max(...arrivals) - started;
      assert.ok(last >= 85, `last request arrived after ${last} ms`);
      const seen = new Set(server.requests.map((r) => Number(r.url.split('/').at(-1))));
      assert.equal(seen.size, 12);
    } finally {
      await server.close();
    }
  });

  test('a 429 with Retry-After holds the limiter for the next requests', async () => {
    const server = await startTestServer((_req, res, _body, index) => {
      if (index === 0) sendJson(res, 429, { errors: 'slow down' }, { 'retry-after': '1' });
      else sendJson(res, 200, {});
    });
    try {
      const limiter = new RateLimiter({ ratePerSecond: 1000, burst: 10 });
      const client = new HttpClient({ system: 'coupa', baseUrl: server.origin, rateLimiter: limiter });
      const error = await rejectsWith('LL_ERR_REMOTE_TRANSIENT', client.request({ path: 'x' }));
      assert.equal(error.retryAfterMs, 1_000);
      assert.equal(limiter.tryAcquire(), false, 'held after the 429');
    } finally {
      await server.close();
    }
  });
});
