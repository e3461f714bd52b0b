/** Users changed since a time, read from the directory simulator with RFC 7644's `meta.lastModified gt`. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DirectoryUser } from '../ports/directory-port.js';
import { ScimConnector } from './connector.js';
import { createScimSimulator } from './simulator/scim-simulator.js';

const sim = createScimSimulator();
before(async () => {
  await sim.start();
});
after(async () => sim.stop());

async function collect(iterable: AsyncIterable<DirectoryUser>): Promise<DirectoryUser[]> {
  const out: DirectoryUser[] = [];
  for await (const user of iterable) out.push(user);
  return out;
}

test('only the users modified after the time come back, compared as times whatever their precision', async () => {
  const connector = new ScimConnector({
    baseUrl: sim.scimUrl,
    auth: { kind: 'token', token: sim.token },
    timeoutMs: 2_000,
  });
  const everyone = await collect(connector.listUsers());
  assert.ok(everyone.length > 10);
  const changedAt = '2026-06-01T10:00:00Z';
  await fetch(`${sim.url}/_sim/seed`, {
    method: 'POST',
    body: JSON.stringify({
      users: [
        {
          userName: 'new.hire@ledgerlink-demo.example',
          givenName: 'New',
          familyName: 'Hire',
          employeeNumber: '10777777',
          organization: '1010',
          created: changedAt,
        },
      ],
    }),
  });
  const changed = await collect(connector.usersChangedSince('2026-06-01T09:59:59.500Z'));
  assert.deepEqual(
    changed.map((u) => u.login),
    ['new.hire@ledgerlink-demo.example'],
  );
  assert.deepEqual(
    await collect(connector.usersChangedSince('2026-06-01T10:00:00.000Z')),
    [],
    'not after its own time',
  );
});
