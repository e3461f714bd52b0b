/**
 * Replay with an edited payload from the exception's page, in a real Chromium, on both stores: the
 * target refuses a document; the operator edits its payload on the page, sees the change as a diff,
 * gives a reason and sends the replay; the document is written once, with the edit, and the edit is
 * kept as a payload revision and in the audit log.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postEvent, request, startApp, type AppFixture } from '../api/app-fixture.js';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { chromiumMissing, ensureConsoleBuilt, logIn, openBrowser, type Browser } from './chromium.js';

for (const kind of storeKinds) {
  describe(`replay with an edited payload in Chromium [${kind}]`, { skip: chromiumMissing }, () => {
    let f: AppFixture;
    let browser: Browser;

    before(async () => {
      ensureConsoleBuilt();
      f = await startApp(kind, 'console-replay', { echo: true });
      // The target refuses the document while it says it is to be refused.
      f.sink!.faultFor = (body) => (body.includes('refuse me') ? { kind: 'status', status: 422 } : undefined);
      browser = await openBrowser();
    });
    after(async () => {
      await browser?.close();
      await f?.close();
    });

    test('the edit is shown as a diff, sent with a reason, posted once and audited', async () => {
      const documentId = `EDIT-${kind}`;
      const body = `{"id":"${documentId}","note":"refuse me","amount":"12.50"}`;
      assert.equal((await postEvent(f.url, 'erp', body, f.auth)).status, 202);
      const exception = await waitFor('the refused document in the queue', async () => {
        const page = (await request(`${f.url}/v1/exceptions?status=open`, { headers: f.auth })).json as {
          exceptions: { id: string; documentId: string | null }[];
        };
        return page.exceptions.find((x) => x.documentId === documentId);
      });

      const { page } = browser;
      await logIn(page, f.url, await f.tokenFor(['operator'], 'replaying-person'));
      await page.goto(`${f.url}/#/exceptions/${exception.id}`);
      await page.locator('[data-testid=payload]', { hasText: 'refuse me' }).waitFor();
      await page.click('[data-testid=exception-actions] button:has-text("Replay…")');
      const editor = page.locator('[data-testid=exception-actions] textarea');
      await editor.waitFor();
      const original = await editor.inputValue();
      assert.match(original, /"refuse me"/);
      await editor.fill(original.replace('refuse me', 'corrected by finance'));
      await page.click('button:has-text("Show the changes")');
      const diff = page.locator('[data-testid=payload-diff]');
      assert.match((await diff.textContent()) ?? '', /- +"note": "refuse me"/);
      assert.match((await diff.textContent()) ?? '', /\+ +"note": "corrected by finance"/);
      await page.fill(
        '[data-testid=exception-actions] input[name=reason]',
        'note corrected with the cost center owner',
      );
      await browser.screenshot(`replay-diff-${kind}`);
      await page.click('button:has-text("Send replay")');
      await page.locator('[data-testid=action-message]', { hasText: 'replay accepted' }).waitFor();

      const written = await waitFor('the corrected document written', async () => {
        const writes = f.sink!.writes.filter((w) => w.body.includes(documentId));
        return writes.length > 0 ? writes : undefined;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(f.sink!.writes.filter((w) => w.body.includes(documentId)).length, 1, 'written once');
      assert.match(written[0]!.body, /corrected by finance/);
      assert.match(written[0]!.body, /"12.50"/, 'the amount kept as written');
      const revisions = await f.app.store.db
        .selectFrom('payload_revisions')
        .select(['revision', 'author', 'reason'])
        .orderBy('revision')
        .execute();
      assert.equal(revisions.length, 2, 'the original kept as revision 0, the edit as revision 1');
      assert.equal(revisions.at(-1)?.author, 'token:replaying-person');
      assert.equal(revisions.at(-1)?.reason, 'note corrected with the cost center owner');
      const audit = await f.app.store.db
        .selectFrom('audit_log')
        .select(['actor', 'data'])
        .where('action', '=', 'exception.replay')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.actor),
        ['token:replaying-person'],
      );
    });
  });
}
