import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NameTrigramIndex, trigramsOf } from './name-trigram-index.js';

/** Dice coefficient of two names' trigrams, computed the plain way. */
function dice(a: string, b: string): number {
  const x = new Set(trigramsOf(a));
  const y = new Set(trigramsOf(b));
  let shared = 0;
  for (const t of x) if (y.has(t)) shared++;
  return (2 * shared) / (x.size + y.size);
}

/** The best `size` keys by plain Dice (ties by key), among names sharing a trigram. */
function plainNearest(names: ReadonlyMap<string, string>, query: string, size: number): string[] {
  return [...names.entries()]
    .map(([key, name]) => ({ key, score: dice(query, name) }))
    .filter((e) => e.score > 0)
    .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1))
    .slice(0, size)
    .map((e) => e.key);
}

const WORDS = ['nord', 'sued', 'alpen', 'hansa', 'rhein', 'elbe', 'kranich', 'falke', 'adler', 'lotse'];
const TRADES = ['logistik', 'bau', 'druck', 'technik', 'consulting'];

describe('name trigram index', () => {
  test('a small index answers exactly what comparing every name answers', () => {
    const index = new NameTrigramIndex();
    const names = new Map<string, string>();
    for (let i = 0; i < 40; i++) {
      const name = `${WORDS[i % WORDS.length]} ${TRADES[i % TRADES.length]} ${i}`;
      names.set(`v${i}`, name);
      index.set(`v${i}`, name);
    }
    for (const query of ['nord logistik 7', 'hansaa bau', 'kranich technik 33', 'zzz']) {
      assert.deepEqual(index.nearest(query, 5), plainNearest(names, query, 5), query);
    }
  });

  test('replacing and removing names keeps the postings right, and queries leave no counts behind', () => {
    const index = new NameTrigramIndex();
    index.set('a', 'rhein druck');
    index.set('b', 'elbe druck');
    index.set('a', 'alpen consulting');
    assert.deepEqual(index.nearest('rhein druck', 5), ['b']);
    index.remove('b');
    assert.deepEqual(index.nearest('rhein druck', 5), []);
    assert.equal(index.size, 1);
    index.set('c', 'alpen consult');
    // Repeated queries answer the same: the per-query counters are cleared every time.
    const first = index.nearest('alpen consulting', 2);
    assert.deepEqual(index.nearest('alpen consulting', 2), first);
    assert.deepEqual(first, ['a', 'c']);
  });

  test('in a large master, common trigrams are left out of the walk and the meant name still comes first', () => {
    const index = new NameTrigramIndex();
    for (let i = 0; i < 5_000; i++)
      index.set(
        String(i),
        `${WORDS[i % WORDS.length]} ${WORDS[Math.floor(i / 10) % 10]} ${TRADES[i % TRADES.length]} ${i} gmbh`,
      );
    for (const i of [17, 1234, 4999]) {
      const meant = `${WORDS[i % WORDS.length]} ${WORDS[Math.floor(i / 10) % 10]} ${TRADES[i % TRADES.length]} ${i}`;
      const misspelt = meant.replace('e', 'ee');
      assert.equal(index.nearest(misspelt, 10)[0], String(i), misspelt);
    }
    // A query of nothing but common trigrams still finds candidates.
    assert.equal(index.nearest('gmbh', 10).length, 10);
  });
});
