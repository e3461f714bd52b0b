import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { expectCodedError } from '../../test/helpers/coded-errors.js';
import { Keyring, decodeMasterKey, generateMasterKey, loadKeyring, readKeyFile } from './master-keys.js';

const dir = mkdtempSync(join(tmpdir(), 'll-master-keys-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function keyFile(name: string, content: unknown, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  chmodSync(path, mode);
  return path;
}

describe('master keys from the environment', () => {
  test('LEDGERLINK_MASTER_KEY with a default id', () => {
    const key = generateMasterKey();
    const ring = loadKeyring({ env: { LEDGERLINK_MASTER_KEY: key } });
    assert.equal(ring.currentKeyId, 'env');
    assert.deepEqual(ring.key('env'), Buffer.from(key, 'base64'));
  });

  test('LEDGERLINK_MASTER_KEY_ID names the key', () => {
    const ring = loadKeyring({
      env: { LEDGERLINK_MASTER_KEY: generateMasterKey(), LEDGERLINK_MASTER_KEY_ID: 'prod-2025' },
    });
    assert.deepEqual(ring.keyIds, ['prod-2025']);
  });

  test('no key at all is LL_ERR_MASTER_KEY_MISSING', () => {
    expectCodedError('LL_ERR_MASTER_KEY_MISSING', () => loadKeyring({ env: {} }));
    expectCodedError('LL_ERR_MASTER_KEY_MISSING', () => loadKeyring({ env: { LEDGERLINK_MASTER_KEY: '' } }));
  });

  test('a key that is not base64 of 32 bytes is LL_ERR_MASTER_KEY_INVALID, without echoing the key', () => {
    const short = randomBytes(16).toString('base64');
    const error = expectCodedError('LL_ERR_MASTER_KEY_INVALID', () =>
      loadKeyring({ env: { LEDGERLINK_MASTER_KEY: short } }),
    );
    assert.ok(!error.message.includes(short));
    expectCodedError('LL_ERR_MASTER_KEY_INVALID', () =>
      loadKeyring({ env: { LEDGERLINK_MASTER_KEY: randomBytes(32).toString('hex') } }),
    );
    expectCodedError('LL_ERR_MASTER_KEY_INVALID', () => decodeMasterKey('not base64 at all!', 'x'));
  });

  test('a key id with separators is refused', () => {
    expectCodedError('LL_ERR_MASTER_KEY_INVALID', () =>
      loadKeyring({ env: { LEDGERLINK_MASTER_KEY: generateMasterKey(), LEDGERLINK_MASTER_KEY_ID: 'a:b' } }),
    );
  });
});

describe('master keys from a key file', () => {
  test('several keys and a current one', () => {
    const path = keyFile('ok.json', {
      keys: [
        { id: 'a', key: generateMasterKey() },
        { id: 'b', key: generateMasterKey() },
      ],
      current: 'b',
    });
    const ring = loadKeyring({ env: {}, keyFile: path });
    assert.equal(ring.currentKeyId, 'b');
    assert.deepEqual(ring.keyIds, ['a', 'b']);
  });

  test('LEDGERLINK_MASTER_KEY_FILE is read; mode 0400 is accepted', () => {
    const path = keyFile('ro.json', { keys: [{ id: 'only', key: generateMasterKey() }] }, 0o400);
    assert.equal(loadKeyring({ env: { LEDGERLINK_MASTER_KEY_FILE: path } }).currentKeyId, 'only');
  });

  test('mode 0644 (and any group or other bit) is refused', () => {
    for (const mode of [0o644, 0o640, 0o604, 0o660]) {
      const path = keyFile(`loose-${mode.toString(8)}.json`, { keys: [{ id: 'a', key: generateMasterKey() }] }, mode);
      const error = expectCodedError('LL_ERR_MASTER_KEY_INVALID', () => readKeyFile(path));
      assert.match(error.message, /chmod 600/);
    }
  });

  test('malformed files are LL_ERR_MASTER_KEY_INVALID', () => {
    const key = generateMasterKey();
    const cases: unknown[] = [
      'not json',
      { nokeys: true },
      { keys: [{ id: 'a' }] },
      {
        keys: [
          { id: 'a', key },
          { id: 'a', key },
        ],
        current: 'a',
      },
      {
        keys: [
          { id: 'a', key },
          { id: 'b', key },
        ],
      },
      { keys: [{ id: 'bad id', key }] },
    ];
    cases.forEach((content, i) =>
      expectCodedError('LL_ERR_MASTER_KEY_INVALID', () => readKeyFile(keyFile(`bad-${i}.json`, content))),
    );
    expectCodedError('LL_ERR_MASTER_KEY_INVALID', () => readKeyFile(join(dir, 'absent.json')));
  });

  test('an empty key list is LL_ERR_MASTER_KEY_MISSING; a current id not in the list is LL_ERR_MASTER_KEY_UNKNOWN', () => {
    expectCodedError('LL_ERR_MASTER_KEY_MISSING', () => readKeyFile(keyFile('empty.json', { keys: [] })));
    expectCodedError('LL_ERR_MASTER_KEY_UNKNOWN', () =>
      readKeyFile(keyFile('cur.json', { keys: [{ id: 'a', key: generateMasterKey() }], current: 'z' })),
    );
  });

  test('file and environment merge; the file current stays current; a conflicting id is refused', () => {
    const path = keyFile('merge.json', { keys: [{ id: 'file', key: generateMasterKey() }] });
    const ring = loadKeyring({
      env: { LEDGERLINK_MASTER_KEY: generateMasterKey(), LEDGERLINK_MASTER_KEY_ID: 'envkey' },
      keyFile: path,
    });
    assert.equal(ring.currentKeyId, 'file');
    assert.ok(ring.has('envkey'));
    expectCodedError('LL_ERR_MASTER_KEY_INVALID', () =>
      loadKeyring({
        env: { LEDGERLINK_MASTER_KEY: generateMasterKey(), LEDGERLINK_MASTER_KEY_ID: 'file' },
        keyFile: path,
      }),
    );
  });
});

describe('Keyring', () => {
  test('unknown key ids, removing the current key, wrong key length', () => {
    const ring = new Keyring([['a', randomBytes(32)]], 'a');
    expectCodedError('LL_ERR_MASTER_KEY_UNKNOWN', () => ring.key('b'));
    expectCodedError('LL_ERR_MASTER_KEY_UNKNOWN', () => ring.withCurrent('b'));
    expectCodedError('LL_ERR_MASTER_KEY_INVALID', () => ring.withoutKey('a'));
    expectCodedError('LL_ERR_MASTER_KEY_INVALID', () => new Keyring([['a', randomBytes(16)]], 'a'));
    expectCodedError('LL_ERR_MASTER_KEY_MISSING', () => new Keyring([], 'a'));
  });

  test('is immutable: withKey and withoutKey return new rings', () => {
    const ring = new Keyring([['a', randomBytes(32)]], 'a');
    const next = ring.withKey('b', randomBytes(32), { current: true });
    assert.equal(ring.currentKeyId, 'a');
    assert.equal(next.currentKeyId, 'b');
    assert.deepEqual(next.withoutKey('a').keyIds, ['b']);
    assert.deepEqual(ring.keyIds, ['a']);
  });
});
