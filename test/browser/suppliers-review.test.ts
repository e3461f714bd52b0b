/**
 * Suppliers to review in a real Chromium, on both stores: a procurement supplier whose name comes
 * close to an ERP vendor's is a duplicate suspect; the Suppliers page shows it beside the candidate
 * vendors with their scores, and Link joins it to the vendor: the identity map holds the link, the
 * vendor number goes back to procurement, no vendor is created, and the decision is audited.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startApp, type AppFixture } from '../api/app-fixture.js';
import { startEstate, type Estate } from '../helpers/estate.js';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { chromiumMissing, ensureConsoleBuilt, logIn, openBrowser, type Browser } from './chromium.js';

const SUPPLIER_POLL = 'supplier-onboarding:approved-suppliers';

/** A Coupa supplier whose remit-to address holds the bank account. */
function coupaSupplier(id: number, name: string, taxId: string, iban: string): Record<string, unknown[]> {
  return {
    suppliers: [
      {
        id,
        name,
        'display-name': name,
        number: null,
        status: 'active',
        'tax-id': taxId,
        'primary-address': {
          street1: 'Hafenstrasse 1',
          city: 'Hamburg',
          'postal-code': '20457',
          country: { code: 'DE' },
        },
        'remit-to-addresses': [{ id: id + 100_000, name, country: { code: 'DE' }, active: true }],
      },
    ],
    supplierInformation: [
      {
        id: id + 200_000,
        'supplier-id': id,
        name,
        status: 'approved',
        'supplier-information-addresses': [
          {
            id: id + 300_000,
            kind: 'RTA',
            active: true,
            country: { code: 'DE' },
            'iban-number': iban,
            bic: 'INGDDEFFXXX',
          },
        ],
      },
    ],
  };
}

for (const kind of storeKinds) {
  describe(`suppliers to review in Chromium [${kind}]`, { skip: chromiumMissing }, () => {
    let estate: Estate;
    let f: AppFixture;
    let browser: Browser;

    before(async () => {
      ensureConsoleBuilt();
      estate = await startEstate();
      f = await startApp(kind, 'console-suppliers', {
        config: {
          systems: estate.systems,
          ownership: { suppliers: 'procurement' },
          flows: {
            supplierOnboarding: {
              trigger: { webhook: true, pollIntervalMs: 3_600_000 },
              pollFrom: '2025-06-01T00:00:00Z',
              vendorPollIntervalMs: 3_600_000,
              reconciliationAccount: '21100000',
              companyCodes: { DE: ['1010'], '*': ['1010'] },
              paymentTerms: { '*': '0001' },
              fuzzyMatch: { reviewAbove: 0.85 },
            },
          },
        },
      });
      browser = await openBrowser();
    });
    after(async () => {
      await browser?.close();
      await f?.close();
      await estate?.stop();
    });

    test('a duplicate suspect is shown beside its candidates and linked from the page', async () => {
      const mueller = await f.app.connectors.erp!.port.createVendor({
        reference: 'SEED-MUELLER',
        name: 'Mueller Logistik',
        country: 'DE',
        bankAccounts: [{ iban: 'DE43500105170009876543' }],
        companyCodes: [{ companyCode: '1010', reconciliationAccount: '21100000' }],
      });
      const vendors = async () => (await estate.documents('erp')).filter((d) => d.kind === 'vendor').length;
      const before = await vendors();
      await estate.sim(
        'procurement',
        '/_sim/seed',
        coupaSupplier(9004, 'Müller Logistik GmbH', 'DE111111141', 'DE66500105170005555555'),
      );
      await f.app.engine.pollNow(SUPPLIER_POLL);
      const runStatus = async () =>
        (await f.app.engine.listRuns({ flow: 'supplier-onboarding', documentId: '9004' })).runs[0]?.status;
      await waitFor('the duplicate suspect', async () => ((await runStatus()) === 'exception' ? true : undefined));

      const { page } = browser;
      await logIn(page, f.url, await f.tokenFor(['operator'], 'vendor-master-person'));
      await page.goto(`${f.url}/#/suppliers`);
      await page.click('[data-testid=suspects] button:has-text("9004")');
      const row = page.locator(`[data-testid=candidates] tr[data-vendor="${mueller}"]`);
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /Mueller Logistik/);
      assert.match((await row.textContent()) ?? '', /name similarity/);
      await page.locator('[data-testid=supplier-review] pre', { hasText: '"supplier"' }).first().waitFor();
      await browser.screenshot(`suppliers-${kind}`);
      await page.fill('input[name=reviewReason]', 'same company: Müller Logistik trades as Mueller Logistik');
      await row.locator('button:has-text("Link")').click();
      await page.locator('[data-testid=review-message]', { hasText: `Linked to ERP vendor ${mueller}` }).waitFor();

      await waitFor('the supplier linked', async () => ((await runStatus()) === 'succeeded' ? true : undefined));
      assert.equal(await f.app.services.identity.remoteIdOf('supplier', 'procurement:9004', 'erp'), mueller);
      assert.equal(
        (await f.app.connectors.procurement!.port.supplierById('9004'))?.erpVendorNumber,
        mueller,
        'the vendor number went back to procurement',
      );
      assert.equal(await vendors(), before, 'no vendor created');
      const audited = await f.app.store.db
        .selectFrom('audit_log')
        .select(['actor'])
        .where('action', '=', 'exception.replay')
        .execute();
      assert.deepEqual(
        audited.map((a) => a.actor),
        ['token:vendor-master-person'],
      );
    });
  });
}
