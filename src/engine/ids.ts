/** Time-ordered, URL-safe identifiers: a prefix, 10 characters of milliseconds, 16 of randomness. */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
let pool = randomBytes(4096);
let offset = 0;

function randomChars(count: number): string {
  if (offset + count > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  let out = '';
  for (let i = 0; i < count; i++) out += ALPHABET[pool[offset++]! & 31];
  return out;
}

function timeChars(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32]! + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

export function newId(prefix: string, now: number = Date.now()): string {
  return `${prefix}_${timeChars(now)}${randomChars(16)}`;
}
