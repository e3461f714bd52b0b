/**
 * Names held by their character trigrams, answering "which names share the most trigrams with this
 * one" (Dice coefficient) without comparing the query to every name.
 *
 * Trigrams are interned to integers; each has a posting list of the slots whose name contains it. A
 * query walks the posting lists of its own trigrams once, counting shared trigrams per slot in a
 * reused typed array, so its cost is the total length of those lists (no strings hashed per
 * candidate, no allocation per candidate). Pure and synchronous: no I/O.
 */

interface Slot {
  readonly key: string;
  /** Distinct trigram ids of the name. */
  readonly grams: Int32Array;
}

/** The distinct trigrams of a name, padded with one space at each end. */
export function trigramsOf(name: string): string[] {
  const padded = ` ${name} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return [...out];
}

export class NameTrigramIndex {
  private readonly gramIds = new Map<string, number>();
  private readonly postings: number[][] = [];
  private readonly slots: (Slot | undefined)[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly free: number[] = [];
  private counts = new Uint16Array(64);
  private marks = new Uint8Array(64);

  get size(): number {
    return this.slotOf.size;
  }

  clear(): void {
    this.gramIds.clear();
    this.postings.length = 0;
    this.slots.length = 0;
    this.slotOf.clear();
    this.free.length = 0;
  }

  /** Holds `name` under `key`, replacing what the key held. */
  set(key: string, name: string): void {
    this.remove(key);
    const grams = Int32Array.from(trigramsOf(name), (gram) => this.internGram(gram));
    const slot = this.free.pop() ?? this.slots.length;
    this.slots[slot] = { key, grams };
    this.slotOf.set(key, slot);
    for (const gram of grams) this.postings[gram]!.push(slot);
    if (this.counts.length < this.slots.length) this.counts = new Uint16Array(this.slots.length * 2);
  }

  remove(key: string): void {
    const slot = this.slotOf.get(key);
    if (slot === undefined) return;
    for (const gram of this.slots[slot]!.grams) {
      const posting = this.postings[gram]!;
      const at = posting.indexOf(slot);
      posting[at] = posting[posting.length - 1]!;
      posting.pop();
    }
    this.slots[slot] = undefined;
    this.slotOf.delete(key);
    this.free.push(slot);
  }

  /**
   * The keys of at most `size` names sharing at least one trigram with `name`, best Dice coefficient
   * first (ties by key).
   *
   * Trigrams held by many names (word endings, legal forms: more than 2 % of the names) say little
   * about which name is meant and cost the most to walk. Candidates come from the query's other
   * trigrams (its rarest three when it has fewer); the `POOL` sharing most of them are then scored
   * exactly, their common trigrams counted by marking the query's in an array read once per candidate trigram.
   */
  nearest(name: string, size: number): string[] {
    const query = trigramsOf(name);
    const ids = query.map((gram) => this.gramIds.get(gram)).filter((id): id is number => id !== undefined);
    ids.sort((a, b) => this.postings[a]!.length - this.postings[b]!.length);
    const common = Math.max(COMMON_FLOOR, Math.ceil(this.slotOf.size * COMMON_SHARE));
    let walked = 0;
    while (walked < ids.length && (walked < RAREST_WALKED || this.postings[ids[walked]!]!.length <= common)) walked++;
    const touched: number[] = [];
    const counts = this.counts;
    try {
      for (let i = 0; i < walked; i++)
        for (const slot of this.postings[ids[i]!]!) if (counts[slot]!++ === 0) touched.push(slot);
      const pool = walked < ids.length && touched.length > POOL ? mostShared(touched, counts, walked) : touched;
      return this.best(pool, ids, walked, query.length, size).map((b) => b.key);
    } finally {
      for (const slot of touched) counts[slot] = 0;
    }
  }

  /** The best `size` of the touched slots, counting the trigrams from `walked` on by lookup. */
  private best(
    touched: readonly number[],
    ids: readonly number[],
    walked: number,
    querySize: number,
    size: number,
  ): Scored[] {
    const best: Scored[] = [];
    // The query's trigrams not walked are marked, so a candidate's are checked by one array read each.
    if (this.marks.length < this.postings.length) this.marks = new Uint8Array(this.postings.length * 2);
    const marks = this.marks;
    for (let i = walked; i < ids.length; i++) marks[ids[i]!] = 1;
    const slots = this.slots;
    const counts = this.counts;
    for (const slot of touched) {
      const held = slots[slot]!;
      let shared = counts[slot]!;
      const grams = held.grams;
      if (walked < ids.length) for (let i = 0; i < grams.length; i++) shared += marks[grams[i]!]!;
      const dice = (2 * shared) / (querySize + held.grams.length);
      if (best.length === size && !ranksBefore(dice, held.key, best[size - 1]!)) continue;
      let at = best.length;
      while (at > 0 && ranksBefore(dice, held.key, best[at - 1]!)) at--;
      best.splice(at, 0, { key: held.key, dice });
      if (best.length > size) best.pop();
    }
    for (let i = walked; i < ids.length; i++) marks[ids[i]!] = 0;
    return best;
  }

  private internGram(gram: string): number {
    let id = this.gramIds.get(gram);
    if (id === undefined) {
      id = this.postings.length;
      this.gramIds.set(gram, id);
      this.postings.push([]);
    }
    return id;
  }
}

/** Posting lists longer than this share of all names (and at least `COMMON_FLOOR`) are common. */
const COMMON_SHARE = 0.02;
const COMMON_FLOOR = 50;
/** Lists walked whatever their length, so a query of common trigrams still finds candidates. */
const RAREST_WALKED = 3;
/** Candidates scored exactly when common trigrams were left out of the walk. */
const POOL = 64;

interface Scored {
  readonly key: string;
  readonly dice: number;
}

/** The `POOL` touched slots with the highest counts (at most `walked`), by bucketing the counts. */
function mostShared(touched: readonly number[], counts: Uint16Array, walked: number): number[] {
  const buckets: number[][] = Array.from({ length: walked + 1 }, () => []);
  for (const slot of touched) buckets[counts[slot]!]!.push(slot);
  const pool: number[] = [];
  for (let count = walked; count > 0 && pool.length < POOL; count--) {
    for (const slot of buckets[count]!) {
      if (pool.length === POOL) break;
      pool.push(slot);
    }
  }
  return pool;
}

function ranksBefore(dice: number, key: string, other: Scored): boolean {
  return dice > other.dice || (dice === other.dice && key < other.key);
}
