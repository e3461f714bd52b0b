/**
 * The web console in a real Chromium against a running hub with the four simulators, on both stores:
 * log in with a token; the overview's figures equal GET /v1/kpis; a report dated into a closed period
 * becomes an exception, the period is reopened on the Close page and the retry from the exception's
 * page posts it once; the trace shows its hops; an auditor sees no action buttons and a forced action
 * gets 403, and reads the retry in the audit log with the chain verified; a session call without the CSRF token gets 403; logout ends the session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { deliverWebhook, startExpenseBench, variantOfVatReport, type ExpenseBench } from '../flows/expense-hub.js';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { chromiumMissing, ensureConsoleBuilt, logIn, openBrowser, type Browser } from './chromium.js';

const THIS_MONTH = new Date().toISOString().slice(0, 7);

interface KpiAnswer {
  readonly successRate: {
    overall: { rate: number | null };
    byProcess: { process: string; succeeded: number; finished: number }[];
  };
  readonly latency: Record<'approvalToPosting' | 'postingToPayment', { p50Ms: number | null; p95Ms: number | null }>;
  readonly exceptions: { open: number; slaBreached: number }[];
  readonly queue: { jobsByStatus: Record<string, number>; inboxPending: number };
}

const raw = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** The figures as the page shows them (data-value) and as GET /v1/kpis answers them. */
async function pageFigures(page: Page): Promise<Record<string, string>> {
  const figures = await page.$$eval('[data-testid^="kpi-"]', (elements) =>
    elements.map((el) => [el.getAttribute('data-testid') ?? '', el.getAttribute('data-value') ?? ''] as const),
  );
  const rows = await page.$$eval('[data-testid=success-by-process] tbody tr', (elements) =>
    elements.map((row) => {
      const cells = [...row.querySelectorAll('td')].map((td) => td.getAttribute('data-value') ?? '');
      return [`process:${row.getAttribute('data-process') ?? ''}`, `${cells[1]}/${cells[2]}`] as const;
    }),
  );
  return Object.fromEntries([...figures, ...rows]);
}

/** The CSRF token the page holds (its readable cookie). */
async function csrfOf(page: Page): Promise<string> {
  return (await page.context().cookies()).find((c) => c.name === 'll_csrf')?.value ?? '';
}

function apiFigures(k: KpiAnswer): Record<string, string> {
  const out: Record<string, string> = {
    'kpi-success-rate': raw(k.successRate.overall.rate),
    'kpi-a2p-p50': raw(k.latency.approvalToPosting.p50Ms),
    'kpi-a2p-p95': raw(k.latency.approvalToPosting.p95Ms),
    'kpi-p2p-p50': raw(k.latency.postingToPayment.p50Ms),
    'kpi-p2p-p95': raw(k.latency.postingToPayment.p95Ms),
    'kpi-open-exceptions': String(k.exceptions.reduce((s, e) => s + e.open, 0)),
    'kpi-sla-breached': String(k.exceptions.reduce((s, e) => s + e.slaBreached, 0)),
    'kpi-jobs-queued': String(k.queue.jobsByStatus['queued'] ?? 0),
    'kpi-inbox-pending': String(k.queue.inboxPending),
  };
  for (const p of k.successRate.byProcess) out[`process:${p.process}`] = `${p.succeeded}/${p.finished}`;
  return out;
}

for (const kind of storeKinds) {
  describe(`web console in Chromium [${kind}]`, { skip: chromiumMissing }, () => {
    let bench: ExpenseBench;
    let operator: Browser;
    const documentId = `console-closed-${kind}-0001`;

    const api = async <T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
      const response = await fetch(`${bench.hub.url}${path}`, {
        ...init,
        headers: { ...bench.hub.auth, ...(init.headers as Record<string, string> | undefined) },
      });
      return { status: response.status, body: (await response.json()) as T };
    };

    before(async () => {
      ensureConsoleBuilt();
      bench = await startExpenseBench(kind, 'console', {
        engine: { pollIntervalMs: 20, leaseMs: 5_000, maxAttempts: 200, backoff: { baseMs: 20, capMs: 100 } },
        periods: { '1010': { closed: [THIS_MONTH] } },
      });
      operator = await openBrowser();
    });
    after(async () => {
      await operator?.close();
      await bench?.close();
    });

    test('log in with a token; the overview figures equal GET /v1/kpis', async () => {
      const token = await bench.hub.tokenFor(['operator'], 'console-operator');
      await logIn(operator.page, bench.hub.url, token);
      assert.match(
        (await operator.page.textContent('[data-testid=signed-in-as]')) ?? '',
        /console-operator \(operator\)/,
      );
      const cookies = await operator.page.context().cookies();
      const session = cookies.find((c) => c.name === 'll_session');
      assert.ok(session, 'a session cookie is set');
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Strict');

      await bench.estate.sim('expense', '/_sim/fis/documents', JSON.parse(variantOfVatReport(documentId)));
      assert.equal(await deliverWebhook(bench, documentId, `delivery-${documentId}`), 202);
      await bench.waitStatus(documentId, 'exception');

      await operator.page.waitForSelector('[data-testid=kpi-success-rate]');
      // The page refreshes by itself; it shows the API's figures once its poll has caught up.
      let last = '';
      await waitFor(
        'the overview to show the figures of GET /v1/kpis',
        async () => {
          const [shown, answer] = await Promise.all([pageFigures(operator.page), api<KpiAnswer>('/v1/kpis')]);
          const expected = apiFigures(answer.body);
          last = JSON.stringify({ shown, expected });
          // The closed-period exception is among the open ones counted.
          const counted = Number(expected['kpi-open-exceptions']) >= 1;
          return counted && Object.keys(expected).every((key) => shown[key] === expected[key]) ? true : undefined;
        },
        20_000,
        250,
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}: ${last}`);
      });
      await operator.screenshot(`overview-${kind}`);
    });

    test('a report dated into a closed period is an exception; reopened on the Close page, the retry from its page posts it once', async () => {
      const { page } = operator;
      await page.goto(`${bench.hub.url}/#/exceptions`);
      const row = page.locator('[data-testid=exception-queue] tbody tr', { hasText: documentId });
      await row.waitFor();
      await operator.screenshot(`exceptions-${kind}`);
      await row.click();
      await page.waitForSelector('[data-testid=exception-detail]');
      assert.match(
        (await page.textContent('[data-testid=exception-message]')) ?? '',
        new RegExp(`Period ${THIS_MONTH} is closed for company code 1010`),
      );
      await page.locator('[data-testid=payload]').waitFor();
      await operator.screenshot(`exception-detail-${kind}`);
      const exceptionUrl = page.url();

      await page.goto(`${bench.hub.url}/#/close`);
      await page.fill('input[name=entity]', '1010');
      await page.fill('input[name=period]', THIS_MONTH);
      await page.selectOption('select[name=periodStatus]', 'open');
      await page.fill('input[name=periodReason]', 'late expense reports accepted until the 5th');
      await page.click('form[aria-label="Open or close a period"] button[type=submit]');
      await page
        .locator(`[data-testid=periods] tr[data-entity="1010"][data-period="${THIS_MONTH}"]`, { hasText: 'open' })
        .waitFor();
      await operator.screenshot(`close-${kind}`);

      await page.goto(exceptionUrl);
      await page.waitForSelector('[data-testid=exception-actions]');
      await page.fill('[data-testid=exception-actions] input[name=reason]', 'period reopened');
      await page.click('[data-testid=exception-actions] button:has-text("Retry")');
      await page.locator('[data-testid=action-message]', { hasText: 'retry accepted' }).waitFor();
      await bench.waitStatus(documentId, 'succeeded');
      const posted = await bench.erpDocuments(documentId);
      assert.equal(posted.length, 1, 'posted exactly once');
      assert.equal(
        (await bench.estate.documents('erp')).filter((d) => d.reference === posted[0]!.reference).length,
        1,
        'one ERP document under the reference',
      );
      const audited = await bench.hub.app.store.db
        .selectFrom('audit_log')
        .select(['action', 'actor'])
        .where('action', 'in', ['exception.retry', 'period.opened'])
        .execute();
      assert.deepEqual(audited.map((a) => [a.action, a.actor]).sort(), [
        ['exception.retry', 'token:console-operator'],
        ['period.opened', 'token:console-operator'],
      ]);
    });

    test('the trace shows the document from the source event to the ERP posting', async () => {
      const { page } = operator;
      const run = await bench.runOf(documentId);
      const detail = await api<{ correlationId: string }>(`/v1/runs/${run!.id}`);
      await page.goto(`${bench.hub.url}/#/trace?q=${encodeURIComponent(detail.body.correlationId)}`);
      await page.locator('[data-testid=trace-timeline] li').first().waitFor();
      const kinds = await page.$$eval('[data-testid=trace-timeline] li', (items) =>
        items.map((li) => li.getAttribute('data-kind')),
      );
      for (const hop of ['event', 'run', 'step', 'effect', 'exception', 'action'])
        assert.ok(kinds.includes(hop), `the timeline shows a ${hop} (${kinds.join(', ')})`);
      await operator.screenshot(`trace-${kind}`);
    });

    test('an auditor sees no action buttons, and a forced action is refused', async () => {
      const auditor = await openBrowser();
      try {
        const { page } = auditor;
        await logIn(page, bench.hub.url, await bench.hub.tokenFor(['auditor'], 'console-auditor'));
        const [x] = (await api<{ exceptions: { id: string }[] }>('/v1/exceptions?limit=1')).body.exceptions;
        assert.ok(x);
        await page.goto(`${bench.hub.url}/#/exceptions/${x.id}`);
        await page.waitForSelector('[data-testid=exception-detail]');
        assert.equal(await page.locator('[data-testid=exception-actions]').count(), 0, 'no action buttons');
        assert.equal(await page.locator('button', { hasText: /^(Retry|Resolve|Ignore|Replay…)$/ }).count(), 0);
        await page.goto(`${bench.hub.url}/#/exceptions?status=any`);
        await page.waitForSelector('[data-testid=exception-queue]');
        assert.equal(await page.locator('details.bulk').count(), 0, 'no bulk action');
        await auditor.screenshot(`exceptions-auditor-${kind}`);
        await page.goto(`${bench.hub.url}/#/audit?action=exception.retry`);
        await page.locator('[data-testid=audit-log] tbody tr', { hasText: 'token:console-operator' }).waitFor();
        await page.click('button:has-text("Verify the chain")');
        await page.locator('[data-testid=audit-verdict][data-ok=true]').waitFor();
        await auditor.screenshot(`audit-${kind}`);
        const forced = await page.evaluate(
          async ({ id, csrf }) => {
            const r = await fetch(`/v1/exceptions/${id}/retry`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
              body: '{}',
            });
            return { status: r.status, body: (await r.json()) as { error: { code: string } } };
          },
          { id: x.id, csrf: await csrfOf(page) },
        );
        assert.deepEqual([forced.status, forced.body.error.code], [403, 'LL_ERR_FORBIDDEN']);
      } finally {
        await auditor.close();
      }
    });

    test('a session call without the CSRF token is refused; logout ends the session', async () => {
      const { page } = operator;
      await page.goto(`${bench.hub.url}/#/`);
      await page.waitForSelector('[data-testid=signed-in-as]');
      const noCsrf = await page.evaluate(async () => {
        const r = await fetch('/v1/periods/1010/2020-01', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ status: 'closed', reason: 'forged' }),
        });
        return { status: r.status, body: (await r.json()) as { error: { code: string } } };
      });
      assert.deepEqual([noCsrf.status, noCsrf.body.error.code], [403, 'LL_ERR_CSRF']);
      await page.click('button:has-text("Log out")');
      await page.waitForSelector('#login-token');
      const after = await page.evaluate(async () => (await fetch('/v1/session')).status);
      assert.equal(after, 401, 'the session is over');
      await operator.screenshot(`login-${kind}`);
    });
  });
}
