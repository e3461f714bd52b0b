/**
 * Every FIS example document SAP Concur publishes (Examples 1.1 … 6.2.4) is read by the connector's
 * FIS reader without a refusal. Where the documents come from: test/helpers/published-fis-examples.ts
 * (a local mirror of the vendor repository, else the four shared fixtures); the test is skipped when
 * neither is there.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Value } from 'typebox/value';
import { ExpenseReportSchema } from '../../canonical/model/index.js';
import type { JsonValue } from '../../canonical/strict-json.js';
import {
  documentsOf,
  EXAMPLES_FIXTURES,
  EXAMPLES_MIRROR,
  PUBLISHED_EXAMPLE_COUNT,
  publishedExamples,
} from '../../../test/helpers/published-fis-examples.js';
import { FIS_EXAMPLE_ENVELOPE } from './concur-contract-facts.js';
import { toCashAdvanceDocument } from './fis-cash-advances.js';
import { at, NO_ACCOUNT, str, toExpenseDocument } from './translate.js';

const { source, files } = publishedExamples();

describe('the published FIS example documents', () => {
  test('every example is read without a refusal', (t) => {
    if (files.length === 0) {
      t.skip(`no published examples at ${EXAMPLES_MIRROR} nor ${EXAMPLES_FIXTURES}`);
      return;
    }
    t.diagnostic(`${files.length} examples from ${source}`);
    if (source === EXAMPLES_MIRROR)
      assert.equal(files.length, PUBLISHED_EXAMPLE_COUNT, 'the vendor publishes 29 example documents');
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
