/**
 * The journal entry envelope against the WSDL's schema (through the simulator's check of the contract
 * facts): items grouped in the sequence's order whatever the line order, input tax as `ProductTaxItem`
 * with its base, texts cut to the schema's lengths, every amount with its currency; and a SOAP fault
 * classified by its faultcode.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpResponse } from '../http/http-types.js';
import { classifySoapFault, journalEntryEnvelope } from './journal-entry-envelope.js';
import { journalEntryRequestProblem } from './simulator/journal-entry-validation.js';

const eur = (amount: string) => ({ amount, currency: 'EUR' });

test('a journal entry envelope fits the WSDL: Item, CreditorItem, ProductTaxItem in order, lengths kept', () => {
  const xml = journalEntryEnvelope(
    {
      reference: 'JE-ORDER-1',
      companyCode: '1010',
      documentDate: '2025-03-01',
      postingDate: '2025-03-01',
      headerText: 'A header text longer than twenty-five characters',
      lines: [
        { glAccount: '21100000', side: 'C', amount: eur('119.00'), vendorId: '17300001', text: 'Vendor' },
        { glAccount: '15410000', side: 'D', amount: eur('19.00'), taxCode: 'V1', taxBase: eur('100.00') },
        {
          glAccount: '61008000',
          side: 'D',
          amount: eur('100.00'),
          costCenter: '10101101',
          project: 'P-1010-0001.1',
          taxCode: 'V1',
          text: 'x'.repeat(60),
        },
      ],
    },
    '0123456789abcdef0123456789abcdef',
    '2025-03-01T10:00:00Z',
  );
  assert.equal(journalEntryRequestProblem(xml), undefined);
  const order = [...xml.matchAll(/<(Item|CreditorItem|ProductTaxItem)>/g)].map((m) => m[1]);
  assert.deepEqual(order, ['Item', 'CreditorItem', 'ProductTaxItem']);
  assert.match(
    xml,
    /<ProductTaxItem><ReferenceDocumentItem>2<\/ReferenceDocumentItem><TaxCode>V1<\/TaxCode><AmountInTransactionCurrency currencyCode="EUR">19.00<\/AmountInTransactionCurrency><TaxBaseAmountInTransCrcy currencyCode="EUR">100.00<\/TaxBaseAmountInTransCrcy><\/ProductTaxItem>/,
  );
  assert.match(xml, /<DocumentHeaderText>A header text longer than<\/DocumentHeaderText>/);
  assert.match(xml, new RegExp(`<DocumentItemText>${'x'.repeat(50)}</DocumentItemText>`));
  assert.match(xml, /<AccountAssignment><CostCenter>10101101<\/CostCenter><WBSElement>P-1010-0001.1<\/WBSElement>/);
  assert.match(xml, /<CreditorItem>.*<AmountInTransactionCurrency currencyCode="EUR">-119.00</);
});

test('a SOAP fault is read by its content: Client is a rejection, Server and other 5xx stay transient', () => {
  const fault = (code: string) =>
    `<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Body><soap-env:Fault><faultcode>${code}</faultcode><faultstring xml:lang="en">Deserialization failed</faultstring></soap-env:Fault></soap-env:Body></soap-env:Envelope>`;
  const response = (status: number): HttpResponse => ({ status }) as HttpResponse;
  const client = classifySoapFault(response(500), fault('soap-env:Client'));
  assert.equal(client?.code, 'LL_ERR_REMOTE_REJECTED');
  assert.match(client?.message ?? '', /Deserialization failed/);
  assert.equal(classifySoapFault(response(500), fault('soap-env:Server')), undefined);
  assert.equal(classifySoapFault(response(503), fault('soap-env:Client')), undefined);
  assert.equal(classifySoapFault(response(500), '<html>Service unavailable</html>'), undefined);
});
