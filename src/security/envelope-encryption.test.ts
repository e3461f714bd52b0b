import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { expectCodedError } from '../../test/helpers/coded-errors.js';
import { openStore } from '../store/open-store.js';
import {
  ENVELOPE_PREFIX,
  decryptEnvelopeText,
  decryptRecord,
  decryptRecordText,
  encryptRecord,
  encryptToEnvelope,
  fromSecretRow,
  needsRewrap,
  parseEnvelope,
  rewrap,
  serializeEnvelope,
  toSecretColumns,
  type SealedRecord,
} from './envelope-encryption.js';
import { Keyring } from './master-keys.js';

const ringA = new Keyring([['a', randomBytes(32)]], 'a');

/** Flips one bit of a base64 blob at a byte offset (negative: from the end). */
function flip(base64: string, at: number): string {
  const bytes = Buffer.from(base64, 'base64');
  const index = at < 0 ? bytes.length + at : at;
  bytes[index] = bytes[index]! ^ 0x01;
  return bytes.toString('base64');
}

describe('envelope encryption', () => {
  test('round trip of text and bytes; every record has its own data key and IV', () => {
    const secret = '{"clientSecret":"s3cr3t-ü"}';
    const one = encryptRecord(ringA, 'sec_1', secret);
    const two = encryptRecord(ringA, 'sec_1', secret);
    assert.equal(decryptRecordText(ringA, one), secret);
    assert.notEqual(one.ciphertext, two.ciphertext);
    assert.notEqual(one.wrappedKey, two.wrappedKey);
    assert.equal(one.keyId, 'a');
    assert.equal(Buffer.from(one.wrappedKey, 'base64').length, 61);
    const bytes = randomBytes(1000);
    assert.deepEqual(decryptRecord(ringA, encryptRecord(ringA, 'blob', bytes)), bytes);
    assert.equal(decryptRecordText(ringA, encryptRecord(ringA, 'empty', '')), '');
  });

  test('ciphertext and wrapped key moved to another record id fail to decrypt', () => {
    const original = encryptRecord(ringA, 'sec_1', 'erp password');
    const moved: SealedRecord = { ...original, recordId: 'sec_2' };
    expectCodedError('LL_ERR_DECRYPTION_FAILED', () => decryptRecord(ringA, moved));
    // Only the payload moved: the wrapped key of the target row with the ciphertext of another.
    const target = encryptRecord(ringA, 'sec_2', 'other');
    expectCodedError('LL_ERR_DECRYPTION_FAILED', () =>
      decryptRecord(ringA, { ...target, ciphertext: original.ciphertext }),
    );
  });

  test('a tampered ciphertext body, tag, IV, version byte or wrapped key fails', () => {
    const record = encryptRecord(ringA, 'sec_1', 'some credential');
    const tampered: SealedRecord[] = [
      { ...record, ciphertext: flip(record.ciphertext, -1) }, // body
      { ...record, ciphertext: flip(record.ciphertext, 1 + 12) }, // tag
      { ...record, ciphertext: flip(record.ciphertext, 1) }, // IV
      { ...record, ciphertext: flip(record.ciphertext, 0) }, // version byte
      { ...record, ciphertext: Buffer.from(record.ciphertext, 'base64').subarray(0, 20).toString('base64') }, // truncated
      { ...record, wrappedKey: flip(record.wrappedKey, -1) }, // wrapped data key
      { ...record, wrappedKey: flip(record.wrappedKey, 14) }, // wrapping tag
      { ...record, ciphertext: 'not*base64' },
    ];
    for (const bad of tampered) expectCodedError('LL_ERR_DECRYPTION_FAILED', () => decryptRecord(ringA, bad));
  });

  test('the wrong master key bytes under the right id fail; an unknown key id is LL_ERR_MASTER_KEY_UNKNOWN', () => {
    const record = encryptRecord(ringA, 'sec_1', 'x');
    const impostor = new Keyring([['a', randomBytes(32)]], 'a');
    expectCodedError('LL_ERR_DECRYPTION_FAILED', () => decryptRecord(impostor, record));
    expectCodedError('LL_ERR_MASTER_KEY_UNKNOWN', () => decryptRecord(ringA, { ...record, keyId: 'zz' }));
    expectCodedError('LL_ERR_MASTER_KEY_UNKNOWN', () => encryptRecord(ringA, 'r', 'x', 'zz'));
  });

  test('relabelling a wrapped key with another key id in the ring fails (the key id is bound too)', () => {
    const keyB = randomBytes(32);
    const ring = ringA.withKey('b', keyB);
    const record = encryptRecord(ring, 'sec_1', 'x');
    // Same wrapped bytes claimed to be under b: b cannot open what a sealed.
    expectCodedError('LL_ERR_DECRYPTION_FAILED', () => decryptRecord(ring, { ...record, keyId: 'b' }));
    // Same master key under two ids: the AAD still tells them apart.
    const twin = new Keyring(
      [
        ['a', ring.key('a')],
        ['a2', ring.key('a')],
      ],
      'a',
    );
    expectCodedError('LL_ERR_DECRYPTION_FAILED', () => decryptRecord(twin, { ...record, keyId: 'a2' }));
  });

  test('an empty record id is refused', () => {
    expectCodedError('LL_ERR_BAD_REQUEST', () => encryptRecord(ringA, '', 'x'));
  });
});

describe('key rotation', () => {
  test('records under A decrypt after B becomes current; new records go under B', () => {
    const underA = encryptRecord(ringA, 'sec_1', 'written under A');
    const ringAB = ringA.withKey('b', randomBytes(32), { current: true });
    assert.equal(decryptRecordText(ringAB, underA), 'written under A');
    const underB = encryptRecord(ringAB, 'sec_2', 'written under B');
    assert.equal(underB.keyId, 'b');
    assert.equal(needsRewrap(ringAB, underA), true);
    assert.equal(needsRewrap(ringAB, underB), false);
  });

  test('rewrap to B changes only the wrapped key; with A removed the record still decrypts', () => {
    const underA = encryptRecord(ringA, 'sec_1', 'rotate me');
    const ringAB = ringA.withKey('b', randomBytes(32), { current: true });
    const underB = rewrap(ringAB, underA);
    assert.equal(underB.keyId, 'b');
    assert.equal(underB.ciphertext, underA.ciphertext, 'payload ciphertext untouched');
    assert.notEqual(underB.wrappedKey, underA.wrappedKey);
    const ringB = ringAB.withoutKey('a');
    assert.equal(decryptRecordText(ringB, underB), 'rotate me');
    expectCodedError('LL_ERR_MASTER_KEY_UNKNOWN', () => decryptRecord(ringB, underA));
    assert.equal(rewrap(ringAB, underB, 'b'), underB, 'already under b: unchanged');
    expectCodedError('LL_ERR_MASTER_KEY_UNKNOWN', () => rewrap(ringAB, underA, 'c'));
  });

  test('rewrap refuses a tampered or moved record instead of laundering it', () => {
    const underA = encryptRecord(ringA, 'sec_1', 'x');
    const ringAB = ringA.withKey('b', randomBytes(32), { current: true });
    expectCodedError('LL_ERR_DECRYPTION_FAILED', () => rewrap(ringAB, { ...underA, recordId: 'sec_9' }));
    expectCodedError('LL_ERR_DECRYPTION_FAILED', () =>
      rewrap(ringAB, { ...underA, wrappedKey: flip(underA.wrappedKey, -1) }),
    );
  });
});

describe('serialised envelope', () => {
  test('lle1: prefix, round trip, record id from the row', () => {
    const text = encryptToEnvelope(ringA, 'evt_1', '{"amount":"12.50"}');
    assert.ok(text.startsWith(ENVELOPE_PREFIX));
    assert.equal(decryptEnvelopeText(ringA, 'evt_1', text), '{"amount":"12.50"}');
    expectCodedError('LL_ERR_DECRYPTION_FAILED', () => decryptEnvelopeText(ringA, 'evt_2', text));
    const record = encryptRecord(ringA, 'evt_3', 'y');
    assert.deepEqual(parseEnvelope('evt_3', serializeEnvelope(record)), record);
  });

  test('malformed envelopes are LL_ERR_DECRYPTION_FAILED', () => {
    const good = encryptToEnvelope(ringA, 'evt_1', 'z');
    for (const bad of [
      '{"plain":true}',
      'lle2:a:AA:AA',
      'lle1:a:AA',
      `${good}:extra`,
      'lle1:a:A+A:AA',
      'lle1::AA:AA',
    ]) {
      expectCodedError('LL_ERR_DECRYPTION_FAILED', () => parseEnvelope('evt_1', bad));
    }
  });
});

describe('secrets at rest in a real SQLite store', () => {
  test('the database file holds no plaintext; the row decrypts; a row moved to another id does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-envelope-'));
    const path = join(dir, 'ledgerlink.db');
    const plaintext = 'coupa-client-secret-PLAINTEXT-7f3a9c';
    const store = await openStore(path, { migrate: true });
    try {
      const record = encryptRecord(ringA, 'sec_coupa', plaintext);
      const now = Date.now();
      await store.writeTransaction(async (tx) => {
        await tx
          .insertInto('secrets')
          .values({ ...toSecretColumns(record), name: 'coupa.oauth', created_at: now, updated_at: now })
          .execute();
        const moved = encryptRecord(ringA, 'sec_other', 'other');
        await tx
          .insertInto('secrets')
          .values({
            ...toSecretColumns(moved),
            ciphertext: record.ciphertext,
            name: 'other',
            created_at: now,
            updated_at: now,
          })
          .execute();
      });
      const row = await store.db
        .selectFrom('secrets')
        .selectAll()
        .where('id', '=', 'sec_coupa')
        .executeTakeFirstOrThrow();
      assert.equal(decryptRecordText(ringA, fromSecretRow(row)), plaintext);
      const other = await store.db
        .selectFrom('secrets')
        .selectAll()
        .where('id', '=', 'sec_other')
        .executeTakeFirstOrThrow();
      expectCodedError('LL_ERR_DECRYPTION_FAILED', () => decryptRecord(ringA, fromSecretRow(other)));
    } finally {
      await store.close();
    }
    try {
      const files = readdirSync(dir).filter((name) => name.startsWith('ledgerlink.db'));
      assert.ok(files.includes('ledgerlink.db'));
      for (const name of files) {
        const bytes = readFileSync(join(dir, name));
        assert.equal(bytes.includes(Buffer.from(plaintext, 'utf8')), false, `${name} holds the plaintext`);
        assert.equal(bytes.includes(Buffer.from(plaintext, 'utf16le')), false, `${name} holds the plaintext (utf16)`);
      }
      // The check can see a secret when there is one: the row's name is stored in clear.
      assert.ok(readFileSync(path).includes(Buffer.from('coupa.oauth')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
