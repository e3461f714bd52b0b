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

export function nameSimilarity(a: string, b: string): number {
  if (a === '' || b === '') return 0;
  if (a === b) return 1;
  const wordsA = a.split(' ');
  const wordsB = b.split(' ');
  const compact = ratio(wordsA.join(''), wordsB.join(''));
  const sorted = ratio([...wordsA].sort().join(''), [...wordsB].sort().join(''));
  const dice = (bestWordMatches(wordsA, wordsB) + bestWordMatches(wordsB, wordsA)) / (wordsA.length + wordsB.length);
  return roundScore(Math.min(1, Math.max(compact, sorted, dice)));
}
