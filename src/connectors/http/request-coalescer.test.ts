import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { RequestCoalescer, type CoalescerOptions } from './request-coalescer.js';

/** A send that records each request's items and answers when `release()` is called. */
function gatedSend() {
  const requests: { key: string; items: string[] }[] = [];
  const gates: (() => void)[] = [];
  const send: CoalescerOptions<string, string>['send'] = async (key, items) => {
    requests.push({ key, items: [...items] });
    await new Promise<void>((resolve) => gates.push(resolve));
    return items.map((item) => (item.startsWith('bad') ? new Error(`refused ${item}`) : `ok:${item}`));
  };
  const release = async (): Promise<void> => {
    while (gates.length > 0) gates.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { requests, send, release };
}

describe('request coalescer', () => {
  it('a lone call leaves at once; calls that arrive while it is under way leave together', async () => {
    const { requests, send, release } = gatedSend();
    const coalescer = new RequestCoalescer<string, string>({ maxItems: 50, maxInFlight: 1, send });
    const first = coalescer.submit('k', 'a');
    assert.deepEqual(requests, [{ key: 'k', items: ['a'] }]);
    const later = ['b', 'c', 'd'].map((item) => coalescer.submit('k', item));
    assert.equal(requests.length, 1, 'the later calls wait for the request under way');
    await release();
    assert.equal(await first, 'ok:a');
    assert.deepEqual(requests[1], { key: 'k', items: ['b', 'c', 'd'] });
    await release();
    assert.deepEqual(await Promise.all(later), ['ok:b', 'ok:c', 'ok:d']);
    assert.equal(coalescer.requests, 2);
  });

  it('a request carries at most maxItems; maxInFlight requests of a key run at once; keys do not mix', async () => {
    const { requests, send, release } = gatedSend();
    const coalescer = new RequestCoalescer<string, string>({ maxItems: 2, maxInFlight: 2, send });
    const calls = ['a', 'b', 'c', 'd', 'e', 'f'].map((item) => coalescer.submit('k', item));
    const other = coalescer.submit('other', 'x');
    assert.deepEqual(
      requests.map((r) => r.items),
      [['a'], ['b'], ['x']],
    );
    await release();
    assert.deepEqual(
      requests.slice(3).map((r) => r.items),
      [
        ['c', 'd'],
        ['e', 'f'],
      ],
    );
    await release();
    assert.deepEqual(await Promise.all(calls), ['ok:a', 'ok:b', 'ok:c', 'ok:d', 'ok:e', 'ok:f']);
    assert.equal(await other, 'ok:x');
  });

  it("an item's own error reaches only its call", async () => {
    const { send, release } = gatedSend();
    const coalescer = new RequestCoalescer<string, string>({ maxItems: 10, maxInFlight: 1, send });
    const first = coalescer.submit('k', 'a');
    const good = coalescer.submit('k', 'b');
    const bad = assert.rejects(coalescer.submit('k', 'bad-1'), /refused bad-1/);
    await release();
    await release();
    assert.equal(await first, 'ok:a');
    assert.equal(await good, 'ok:b');
    await bad;
  });

  it('a request that fails reaches every call in it; one refused as a whole is sent again item by item', async () => {
    const requests: string[][] = [];
    let failAll = true;
    const coalescer = new RequestCoalescer<string, string>({
      maxItems: 10,
      maxInFlight: 1,
      splitWhen: (error) => error instanceof Error && error.message === 'whole body refused',
      send: async (_key, items) => {
        requests.push([...items]);
        await Promise.resolve();
        if (failAll) throw new Error('unreachable');
        if (items.length > 1 && items.some((i) => i.startsWith('bad'))) throw new Error('whole body refused');
        if (items[0]!.startsWith('bad')) throw new Error('whole body refused');
        return items.map((i) => `ok:${i}`);
      },
    });
    await Promise.all(
      [coalescer.submit('k', 'a'), coalescer.submit('k', 'b')].map((c) => assert.rejects(c, /unreachable/)),
    );
    failAll = false;
    requests.length = 0;
    const calls = [coalescer.submit('k', 'lead'), coalescer.submit('k', 'c'), coalescer.submit('k', 'bad-2')];
    const settled = await Promise.allSettled(calls);
    assert.deepEqual(
      settled.map((s) => s.status),
      ['fulfilled', 'fulfilled', 'rejected'],
    );
    assert.deepEqual(requests, [['lead'], ['c', 'bad-2'], ['c'], ['bad-2']]);
  });

  it('fewer results than items is a transient error for the calls left without one', async () => {
    const coalescer = new RequestCoalescer<string, string>({
      maxItems: 10,
      maxInFlight: 1,
      send: async () => {
        await Promise.resolve();
        return [];
      },
    });
    await assert.rejects(coalescer.submit('k', 'a'), (error: unknown) => {
      assert.equal((error as { code?: string }).code, 'LL_ERR_REMOTE_TRANSIENT');
      return true;
    });
  });
});
