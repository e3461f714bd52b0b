/** Mapping set publication on both stores: pending → published/rejected, superseding, SoD, audit rows. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { isLedgerlinkError } from '../../src/canonical/errors.js';
import { verifyAudit } from '../../src/engine/audit-log.js';
import { MappingSetStore, type NewMappingSet } from '../../src/hub/mapping-sets/mapping-set-store.js';
import { loadMappingSet } from '../../src/mapping/load-mapping-set.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';

const travelText = readFileSync(new URL('../fixtures/mappings/travel.yaml', import.meta.url), 'utf8');

function setOf(text: string): NewMappingSet {
  const set = loadMappingSet(text);
  return { version: set.version, label: set.label, hash: set.hash, content: text };
}

const alice = { name: 'alice', actor: 'token:alice' };
const bob = { name: 'bob', actor: 'token:bob' };
const coded = (code: string) => (e: unknown) => isLedgerlinkError(e) && e.code === code;

for (const kind of storeKinds) {
  describe(`mapping set store [${kind}]`, () => {
    let t: TestStore;
    let sets: MappingSetStore;
    before(async () => {
      t = await openTestStore(kind, 'mapping_sets');
      sets = new MappingSetStore(t.store);
    });
    after(async () => t.close());

    const first = setOf(travelText);
    const second = setOf(travelText.replace('61009000', '61009002'));
    const third = setOf(travelText.replace('61009000', '61009003'));

    test('a registered set is pending; the same content answers the stored set', async () => {
      const registered = await sets.register(first, alice);
      assert.equal(registered.created, true);
      assert.equal(registered.record.status, 'pending_approval');
      assert.equal(registered.record.author, 'alice');
      assert.equal(registered.record.hash, first.hash);
      const again = await sets.register({ ...first, content: `# reformatted\n${first.content}` }, bob);
      assert.equal(again.created, false);
      assert.equal(again.record.author, 'alice');
      assert.equal(await sets.current(), undefined);
    });

    test('the author cannot approve their own set; another approver publishes it', async () => {
      await assert.rejects(
        sets.approve(first.version, { name: 'alice', actor: 'token:alice' }),
        coded('LL_ERR_SEGREGATION_OF_DUTIES'),
      );
      const approved = await sets.approve(first.version, bob);
      assert.equal(approved.status, 'published');
      assert.equal(approved.approvedBy, 'bob');
      assert.equal((await sets.current())?.version, first.version);
      await assert.rejects(
        sets.approve(first.version, { name: 'carol', actor: 'token:carol' }),
        coded('LL_ERR_ILLEGAL_TRANSITION'),
      );
    });

    test('publishing another set supersedes the current one', async () => {
      await sets.register(second, bob);
      await sets.approve(second.version, alice);
      assert.equal((await sets.current())?.version, second.version);
      assert.equal((await sets.get(first.version))?.status, 'superseded');
      assert.ok((await sets.get(first.version))?.supersededAt !== null);
      const published = await sets.list({ status: 'published' });
      assert.deepEqual(
        published.map((s) => s.version),
        [second.version],
      );
    });

    test('a rejected set keeps its reason and cannot be approved', async () => {
      await sets.register(third, alice);
      const rejected = await sets.reject(third.version, bob, 'wrong account for hotels');
      assert.equal(rejected.status, 'rejected');
      assert.equal(rejected.rejectionReason, 'wrong account for hotels');
      await assert.rejects(sets.approve(third.version, bob), coded('LL_ERR_ILLEGAL_TRANSITION'));
      await assert.rejects(sets.reject(second.version, bob, 'late'), coded('LL_ERR_ILLEGAL_TRANSITION'));
      await assert.rejects(sets.approve('travel@000000000000', bob), coded('LL_ERR_NOT_FOUND'));
    });

    test('approving a superseded set again rolls back to it', async () => {
      await sets.approve(first.version, bob);
      assert.equal((await sets.current())?.version, first.version);
      assert.equal((await sets.get(second.version))?.status, 'superseded');
    });

    test('a set from the config directory is published by config:<file> once', async () => {
      const fromFile = setOf(travelText.replace('61009000', '61009004'));
      const recorded = await sets.recordFromConfig(fromFile, 'travel.yaml');
      assert.equal(recorded.created, true);
      assert.equal(recorded.record.status, 'published');
      assert.equal(recorded.record.author, 'config:travel.yaml');
      assert.equal((await sets.current())?.version, fromFile.version);
      assert.equal((await sets.recordFromConfig(fromFile, 'travel.yaml')).created, false);
      assert.equal(
        (await sets.recordFromConfig(second, 'old.yaml')).record.status,
        'superseded',
        'a stored set keeps its status',
      );
    });

    test('every step is in the audit log with the content hash, and the chain verifies', async () => {
      const rows = await t.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('subject', 'like', 'mapping:%')
        .orderBy('seq')
        .execute();
      const actions = rows.map((r) => `${r.action} ${r.subject.slice(8)} ${r.actor}`);
      assert.deepEqual(actions.slice(0, 4), [
        `mapping.registered ${first.version} token:alice`,
        `mapping.approved ${first.version} token:bob`,
        `mapping.published ${first.version} token:bob`,
        `mapping.registered ${second.version} token:bob`,
      ]);
      assert.ok(actions.includes(`mapping.superseded ${first.version} token:alice`));
      assert.ok(actions.includes(`mapping.rejected ${third.version} token:bob`));
      assert.ok(actions.some((a) => a.startsWith('mapping.published') && a.endsWith('config:travel.yaml')));
      for (const row of rows) {
        const data = JSON.parse(row.data) as { hash?: string; version?: string };
        assert.match(data.hash ?? '', /^[0-9a-f]{64}$/);
        assert.equal(`mapping:${data.version}`, row.subject);
      }
      assert.equal((await verifyAudit(t.store.db)).ok, true);
    });

    test('concurrent approvals of two sets leave exactly one published', async () => {
      const a = setOf(travelText.replace('61009000', '61009005'));
      const b = setOf(travelText.replace('61009000', '61009006'));
      await sets.register(a, alice);
      await sets.register(b, alice);
      await Promise.all([sets.approve(a.version, bob), sets.approve(b.version, bob)]);
      assert.equal((await sets.list({ status: 'published' })).length, 1);
    });
  });
}
