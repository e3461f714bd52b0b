/** The directory held as a synced copy: lookups from memory after the first read, misses asked of the directory and kept, changes read since the last read. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DirectoryPort, DirectoryUser } from '../../connectors/port.js';
import { SyncedDirectory } from './synced-directory.js';

function user(id: string, employeeNumber: string, login: string, costCenter = 'CC-1'): DirectoryUser {
  return {
    employee: {
      id,
      refs: {},
      personnelNumber: employeeNumber,
      email: login,
      givenName: 'A',
      familyName: id,
      displayName: `A ${id}`,
      companyCode: '1010',
      costCenter,
      active: true,
    },
    login,
    enterprise: { employeeNumber },
  };
}

/** An in-memory directory that counts what it is asked. */
class CountingDirectory implements DirectoryPort {
  users: DirectoryUser[] = [];
  changed: DirectoryUser[] = [];
  calls = { find: 0, list: 0, changedSince: [] as string[] };
  async findByEmployeeNumber(n: string) {
    this.calls.find++;
    const found = this.users.filter((u) => u.enterprise.employeeNumber === n);
    if (found.length > 1) throw new Error('more than one user has that employee number');
    return found[0] ?? null;
  }
  async findByLogin(login: string) {
    this.calls.find++;
    return this.users.find((u) => u.login.toLowerCase() === login.toLowerCase()) ?? null;
  }
  async findById(id: string) {
    this.calls.find++;
    return this.users.find((u) => u.employee.id === id) ?? null;
  }
  async *listUsers() {
    this.calls.list++;
    yield* this.users;
  }
  async *usersChangedSince(since: string) {
    this.calls.changedSince.push(since);
    yield* this.changed;
  }
}

test('before the first read lookups go to the directory; after it they are answered from memory', async () => {
  const source = new CountingDirectory();
  source.users = [user('u1', '100', 'one@x'), user('u2', '200', 'two@x')];
  const copy = new SyncedDirectory(source);
  assert.equal((await copy.findByEmployeeNumber('100'))?.employee.id, 'u1');
  assert.equal(source.calls.find, 1);
  await copy.sync();
  assert.equal(copy.loaded, true);
  assert.equal(copy.size, 2);
  assert.equal((await copy.findByEmployeeNumber('200'))?.employee.id, 'u2');
  assert.equal((await copy.findByLogin('ONE@X'))?.employee.id, 'u1');
  assert.equal((await copy.findById('u2'))?.login, 'two@x');
  assert.equal(source.calls.find, 1, 'no directory request once the copy holds them');
});

test('a user the copy lacks (a new hire) is asked of the directory and kept; one nobody has stays null', async () => {
  const source = new CountingDirectory();
  source.users = [user('u1', '100', 'one@x')];
  const copy = new SyncedDirectory(source);
  await copy.sync();
  source.users.push(user('u3', '300', 'three@x'));
  assert.equal((await copy.findByEmployeeNumber('300'))?.employee.id, 'u3');
  assert.equal((await copy.findByEmployeeNumber('300'))?.employee.id, 'u3');
  assert.equal(source.calls.find, 1, 'asked once, then kept');
  assert.equal(await copy.findByEmployeeNumber('999'), null);
  assert.equal(await copy.findByEmployeeNumber('999'), null);
  assert.equal(source.calls.find, 3, 'a miss is asked each time: the user may have been added meanwhile');
});

test('later reads take only the users changed since the last read began, less the overlap, and replace them', async () => {
  let now = Date.parse('2026-12-07T10:00:00Z');
  const source = new CountingDirectory();
  source.users = [user('u1', '100', 'one@x', 'CC-OLD')];
  const copy = new SyncedDirectory(source, { now: () => now, overlapMs: 60_000 });
  await copy.sync();
  now += 300_000;
  source.changed = [user('u1', '100', 'one.renamed@x', 'CC-NEW')];
  await copy.sync();
  assert.deepEqual(source.calls.changedSince, ['2026-12-07T09:59:00.000Z']);
  assert.equal(source.calls.list, 1, 'read in full once');
  assert.equal((await copy.findByEmployeeNumber('100'))?.employee.costCenter, 'CC-NEW');
  assert.equal((await copy.findByLogin('one.renamed@x'))?.employee.id, 'u1');
  assert.equal(source.calls.find, 0);
  assert.equal(copy.size, 1);
  await copy.sync();
  assert.deepEqual(source.calls.changedSince.at(-1), '2026-12-07T10:04:00.000Z');
});

test('once a day the read is in full again, so a user deleted from the directory leaves the copy', async () => {
  let now = Date.parse('2026-12-07T10:00:00Z');
  const source = new CountingDirectory();
  source.users = [user('u1', '100', 'one@x'), user('u2', '200', 'two@x')];
  const copy = new SyncedDirectory(source, { now: () => now, fullReadEveryMs: 86_400_000 });
  await copy.sync();
  source.users = [user('u1', '100', 'one@x')];
  now += 3_600_000;
  await copy.sync();
  assert.equal(source.calls.list, 1, 'an hour later: changes only');
  assert.equal(copy.size, 2, 'a read of changes cannot see the deletion');
  now += 86_400_000;
  await copy.sync();
  assert.equal(source.calls.list, 2, 'a day after the full read: in full');
  assert.equal(copy.size, 1);
  assert.equal(await copy.findByEmployeeNumber('200'), null, 'asked of the directory, which no longer has them');
});

test('an employee number two users hold is asked of the directory, which refuses it as without the copy', async () => {
  const source = new CountingDirectory();
  source.users = [user('u1', '100', 'one@x'), user('u2', '100', 'two@x')];
  const copy = new SyncedDirectory(source);
  await copy.sync();
  await assert.rejects(copy.findByEmployeeNumber('100'), /more than one user/);
});

test('a directory that cannot read changes only is read in full each time; concurrent reads share one', async () => {
  const source = new CountingDirectory();
  source.users = [user('u1', '100', 'one@x')];
  const plain: DirectoryPort = {
    findByEmployeeNumber: (n) => source.findByEmployeeNumber(n),
    findByLogin: (l) => source.findByLogin(l),
    findById: (i) => source.findById(i),
    listUsers: () => source.listUsers(),
  };
  const copy = new SyncedDirectory(plain);
  await Promise.all([copy.sync(), copy.sync()]);
  assert.equal(source.calls.list, 1);
  source.users = [user('u2', '200', 'two@x')];
  await copy.sync();
  assert.equal(source.calls.list, 2);
  assert.equal(copy.size, 1, 'a full read replaces the copy: users gone from the directory are gone');
  assert.equal((await copy.findByEmployeeNumber('200'))?.employee.id, 'u2');
});
