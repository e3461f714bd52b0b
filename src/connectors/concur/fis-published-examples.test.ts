/**
 * Every FIS example document SAP Concur publishes (Examples 1.1 … 6.2.4, concur/developer.concur.com
 * at commit 3d94d3f011b710df08b1bdfa5dc081ca0d71aa21, `src/api-reference/financial-integration/json/`)
 * is read by the connector's FIS reader without a refusal. The documents are read at test time from a
 * local mirror of that repository (`../.mirror/concur+developer.concur.com/repo`, or
 * LEDGERLINK_CONCUR_EXAMPLES_REPO), else from the four in `../shared/fixtures/concur-fis/`; the test
 * is skipped when neither is there.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Value } from 'typebox/value';
import { ExpenseReportSchema } from '../../canonical/model/index.js';
import { parseStrictJson, type JsonValue } from '../../canonical/strict-json.js';
import { FIS_EXAMPLE_ENVELOPE } from './concur-contract-facts.js';
import { toCashAdvanceDocument } from './fis-cash-advances.js';
import { arr, at, NO_ACCOUNT, str, toExpenseDocument } from './translate.js';

const EXAMPLES_PATH = 'src/api-reference/financial-integration/json/';
const MIRROR =
  process.env['LEDGERLINK_CONCUR_EXAMPLES_REPO'] ??
  join(process.cwd(), '..', '.mirror', 'concur+developer.concur.com', 'repo');
const FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'concur-fis');

/** The published example files: name and text. */
function examples(): { source: string; files: { name: string; text: string }[] } {
  if (existsSync(MIRROR)) {
    const git = (...args: string[]): string => execFileSync('git', ['-C', MIRROR, ...args], { encoding: 'utf8' });
    const names = git('ls-tree', '-r', '--name-only', 'HEAD', EXAMPLES_PATH)
      .split('\n')
      .filter((n) => /Example.*\.json$/.test(n));
    return {
      source: MIRROR,
      files: names.map((n) => ({ name: n.slice(EXAMPLES_PATH.length), text: git('show', `HEAD:${n}`) })),
    };
  }
  if (existsSync(FIXTURES)) {
    const names = readdirSync(FIXTURES).filter((n) => n.endsWith('.json'));
    return { source: FIXTURES, files: names.map((n) => ({ name: n, text: readFileSync(join(FIXTURES, n), 'utf8') })) };
  }
  return { source: '', files: [] };
}

const { source, files } = examples();

function documentsOf(text: string): JsonValue[] {
  const body = parseStrictJson(text);
  return arr(at(body, FIS_EXAMPLE_ENVELOPE.documentsKey));
}

describe('the published FIS example documents', () => {
  test('every example is read without a refusal', (t) => {
    if (files.length === 0) {
      t.skip(`no published examples at ${MIRROR} nor ${FIXTURES}`);
      return;
    }
    t.diagnostic(`${files.length} examples from ${source}`);
    if (source === MIRROR) assert.equal(files.length, 29, 'the vendor publishes 29 example documents');
    for (const file of files) {
      const documents = documentsOf(file.text);
      assert.equal(documents.length, 1, `${file.name}: one document in ${FIS_EXAMPLE_ENVELOPE.documentsKey}`);
      for (const item of documents) {
        if (str(at(item, 'docType')) === 'cashadvance') {
          const advance = toCashAdvanceDocument(item);
          assert.equal(advance.documentId, str(at(item, 'id')), file.name);
          continue;
        }
        const read = toExpenseDocument(item);
        assert.ok(Value.Check(ExpenseReportSchema, read.report), `${file.name}: a valid canonical report`);
        assert.ok(read.journal.length > 0, `${file.name}: journal lines`);
      }
    }
  });

  test('what the examples leave out is read as documented', (t) => {
    const byName = (part: string): JsonValue | undefined =>
      documentsOf(files.find((f) => f.name.includes(part))?.text ?? '{}')[0];
    const cardWithoutId = byName('Example-6.1.6.json');
    const noPercent = byName('Example-6.2.1.json');
    const noAccount = byName('Example-6.2.3.json');
    if (cardWithoutId === undefined || noPercent === undefined || noAccount === undefined) {
      t.skip('the examples 6.1.6, 6.2.1 and 6.2.3 come only with the mirror of the vendor repository');
      return;
    }
    // Card entries (IBCP) without cardTransactionID: paid by company card, no card charge linked.
    const card = toExpenseDocument(cardWithoutId).report;
    assert.equal(card.entries[0]!.paymentType, 'company_card');
    assert.equal(card.entries[0]!.cardTransactionId, undefined);
    assert.equal(card.cardTransactions.length, 0);
    // allocationPercentage null on a single allocation: 100 %.
    const percent = toExpenseDocument(noPercent).report;
    assert.deepEqual(
      percent.entries.map((e) => e.allocations.map((a) => a.percent)),
      [['100'], ['100']],
    );
    // journalAccountCode "" on the payer/payee-only lines of a personal card part: no account.
    const lines = toExpenseDocument(noAccount).journal.filter((l) => l.account === NO_ACCOUNT);
    assert.deepEqual(
      lines.map((l) => `${l.payer}>${l.payee} ${l.gross.amount}`),
      ['COMP>CBCP 300.00', 'EMPL>COMP -300.00'],
    );
  });
});
