/**
 * How alike two match names are (see toMatchName), as a number in [0, 1] rounded to 3 decimals.
 * The best of three measures, so each catches what the others miss:
 * - edit distance (fastest-levenshtein) on the names without spaces: typing errors, "muller" vs
 *   "mueller", "coca cola" vs "cocacola";
 * - the same on the words sorted: word order ("logistik mueller" vs "mueller logistik");
 * - a fuzzy Dice coefficient on the words (two words count as equal when their edit similarity is
 *   at least 0.8): an extra or missing word ("mueller logistik" vs "mueller logistik sued").
 */
import { distance } from 'fastest-levenshtein';

const WORD_MATCH = 0.8;

function ratio(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - distance(a, b) / longest;
}

function bestWordMatches(from: readonly string[], to: readonly string[]): number {
  let total = 0;
  for (const word of from) {
    let best = 0;
    for (const other of to) {
      if (word !== other && !lengthsCouldMatch(word.length, other.length)) continue;
      const r = word === other ? 1 : ratio(word, other);
      if (r > best) best = r;
      if (best === 1) break;
    }
    if (best >= WORD_MATCH) total += best;
  }
  return total;
}

export function roundScore(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function lengthsCouldMatch(x: number, y: number): boolean {
  return Math.abs(x - y) <= (1 - WORD_MATCH) * Math.max(x, y) + 1e-9;
}

function wordsWithPartner(from: readonly number[], to: readonly number[]): number {
  let count = 0;
  for (const x of from) if (to.some((y) => lengthsCouldMatch(x, y))) count++;
  return count;
}

/**
 * The highest score two names could reach, from word lengths alone (no edit distance): lets a
 * caller skip names that cannot reach its threshold. Never below the real score.
 */
export function similarityUpperBound(a: string, b: string): number {
  if (a === '' || b === '') return 0;
  if (a === b) return 1;
  const lengthsA = a.split(' ').map((w) => w.length);
  const lengthsB = b.split(' ').map((w) => w.length);
  const totalA = lengthsA.reduce((x, y) => x + y, 0);
  const totalB = lengthsB.reduce((x, y) => x + y, 0);
  const byLength = 1 - Math.abs(totalA - totalB) / Math.max(totalA, totalB);
  const byWords =
    (wordsWithPartner(lengthsA, lengthsB) + wordsWithPartner(lengthsB, lengthsA)) / (lengthsA.length + lengthsB.length);
  return Math.max(byLength, byWords);
}

export function nameSimilarity(a: string, b: string): number {
  if (a === '' || b === '') return 0;
  if (a === b) return 1;
  const wordsA = a.split(' ');
  const wordsB = b.split(' ');
  const compactA = wordsA.join('');
  const compactB = wordsB.join('');
  const compact = ratio(compactA, compactB);
  const sortedA = [...wordsA].sort().join('');
  const sortedB = [...wordsB].sort().join('');
  const sorted = sortedA === compactA && sortedB === compactB ? compact : ratio(sortedA, sortedB);
  const dice = (bestWordMatches(wordsA, wordsB) + bestWordMatches(wordsB, wordsA)) / (wordsA.length + wordsB.length);
  return roundScore(Math.min(1, Math.max(compact, sorted, dice)));
}
