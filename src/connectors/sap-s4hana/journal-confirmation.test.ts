/**
 * The SOAP confirmation parser (reliability catalogue, bad input): a DOCTYPE or entity declaration is
 * refused before parsing, so nothing is expanded or fetched; a normal confirmation is read.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { journalConfirmation } from './journal-entry-envelope.js';

const envelope = (prolog: string, document: string): string =>
  `${prolog}<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
  '<n0:JournalEntryBulkCreateConfirmation xmlns:n0="http://sap.com/xi/SAPSCORE/SFIN"><JournalEntryCreateConfirmation>' +
  `<JournalEntryCreateConfirmation><AccountingDocument>${document}</AccountingDocument><CompanyCode>1010</CompanyCode><FiscalYear>2025</FiscalYear></JournalEntryCreateConfirmation>` +
  '<Log><MaximumLogItemSeverityCode>1</MaximumLogItemSeverityCode></Log></JournalEntryCreateConfirmation>' +
  '</n0:JournalEntryBulkCreateConfirmation></soap:Body></soap:Envelope>';

test('a confirmation is read; DOCTYPE, external entities and entity expansion are refused unparsed', () => {
  assert.equal(journalConfirmation(envelope('<?xml version="1.0"?>', '100000042'))?.accountingDocument, '100000042');
  const external = envelope(
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "http://169.254.169.254/latest/meta-data/">]>',
    '&e;',
  );
  assert.equal(journalConfirmation(external), undefined);
  const bomb = envelope(`<!DOCTYPE x [<!ENTITY a "${'A'.repeat(50)}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>`, '&b;');
  assert.equal(journalConfirmation(bomb), undefined);
  assert.equal(
    journalConfirmation(envelope('', '&amp;lt;'))?.accountingDocument,
    '&amp;lt;',
    'entities are left as written, never expanded',
  );
});
