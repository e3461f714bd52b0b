import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitLegalForm } from './legal-forms.js';
import { normaliseSupplier, toMatchName } from './supplier-normalise.js';
import { normaliseVatNumber } from './tax-number.js';

function codes(result: { issues: readonly { code: string }[] }): string[] {
  return result.issues.map((i) => i.code);
}

describe('splitLegalForm', () => {
  const cases: [string, string, string | undefined][] = [
    ['Müller Logistik GmbH', 'Müller Logistik', 'GmbH'],
    ['Schenker Spedition GmbH & Co. KG', 'Schenker Spedition', 'GmbH & Co. KG'],
    ['ACME Corporation Ltd.', 'ACME', 'Corp Ltd'],
    ['Acme, Inc.', 'Acme', 'Inc'],
    ['Fromagerie Dupont S.à r.l.', 'Fromagerie Dupont', 'SARL'],
    ['Wroclaw Metal Sp. z o.o.', 'Wroclaw Metal', 'Sp. z o.o.'],
    ['Koninklijke Philips N.V.', 'Koninklijke Philips', 'NV'],
    ['Valmet Oyj', 'Valmet', 'Oyj'],
    ['Nordic Steel AB (publ)', 'Nordic Steel', 'AB'],
    ['Outback Supplies Pty Ltd', 'Outback Supplies', 'Pty Ltd'],
    ['Smith & Co', 'Smith', 'Co'],
    ['Ferrari S.p.A.', 'Ferrari', 'SpA'],
    ['Atlas Copco', 'Atlas Copco', undefined],
    ['AG', 'AG', undefined],
  ];
  for (const [name, base, form] of cases) {
    it(`${name} → ${base} + ${form ?? 'no legal form'}`, () => {
      assert.deepEqual(splitLegalForm(name), form === undefined ? { base } : { base, legalForm: form });
    });
  }
});

describe('toMatchName', () => {
  it('transliterates umlauts, drops accents and punctuation, reads & as and', () => {
    assert.equal(toMatchName('Müller & Söhne'), 'mueller and soehne');
    assert.equal(toMatchName('Mueller und Soehne'), 'mueller and soehne');
    assert.equal(toMatchName('A.C.M.E. Trading-Co'), 'acme trading co');
    assert.equal(toMatchName('Société Générale'), 'societe generale');
    assert.equal(toMatchName("The O'Brien Group"), 'obrien group');
    assert.equal(toMatchName('Bjørn Ålesund'), 'bjorn alesund');
  });
});

describe('normaliseVatNumber', () => {
  it('accepts numbers with and without prefix, spaces and dots', () => {
    assert.deepEqual(normaliseVatNumber('DE 136.695.976', 'DE'), {
      vat: { value: 'DE136695976', country: 'DE', bare: '136695976', checked: true },
      issues: [],
    });
    assert.equal(normaliseVatNumber('136695976', 'DE').vat?.value, 'DE136695976');
    assert.equal(normaliseVatNumber('atu13585627', 'AT').vat?.value, 'ATU13585627');
    assert.equal(normaliseVatNumber('0411.905.847', 'BE').vat?.value, 'BE0411905847');
  });

  it('handles Greece (EL, and GR written by mistake), Northern Ireland (XI) and Switzerland (CHE)', () => {
    assert.deepEqual(normaliseVatNumber('EL094259216', 'GR').issues, []);
    assert.equal(normaliseVatNumber('GR094259216', 'GR').vat?.value, 'EL094259216');
    assert.equal(normaliseVatNumber('094259216', 'GR').vat?.value, 'EL094259216');
    const ni = normaliseVatNumber('XI 980 7806 84', 'GB');
    assert.deepEqual([ni.vat?.value, ni.vat?.country, ni.issues.length], ['XI980780684', 'GB', 0]);
    assert.equal(normaliseVatNumber('CHE-116.281.710 MWST', 'CH').issues.length, 0);
    assert.equal(normaliseVatNumber('116.281.710 MWST', 'CH').vat?.value, 'CHE116281710MWST');
  });

  it('refuses a wrong check digit and a wrong format', () => {
    const digit = normaliseVatNumber('DE136695978', 'DE');
    assert.deepEqual(codes(digit), ['vat_invalid']);
    assert.match(digit.issues[0]?.message ?? '', /check digit is wrong/);
    assert.match(normaliseVatNumber('FR4030326504', 'FR').issues[0]?.message ?? '', /format of a France VAT number/);
  });

  it('flags a VAT number from another country than the supplier', () => {
    assert.deepEqual(codes(normaliseVatNumber('NL004495445B01', 'BE')), ['vat_country_mismatch']);
    assert.deepEqual(codes(normaliseVatNumber('EL094259216', 'CY')), ['vat_country_mismatch']);
  });

  it('accepts a non-Union OSS number (EU prefix) for a supplier of any country', () => {
    const oss = normaliseVatNumber('EU372000041', 'US');
    assert.deepEqual([oss.vat?.value, oss.vat?.country, codes(oss)], ['EU372000041', undefined, []]);
  });

  it('needs a prefix or a country, and does not check countries it cannot', () => {
    assert.deepEqual(codes(normaliseVatNumber('136695976', undefined)), ['vat_invalid']);
    const us = normaliseVatNumber('12-3456789', 'US');
    assert.deepEqual(
      [us.vat?.value, us.issues.map((i) => [i.code, i.severity])],
      ['123456789', [['vat_not_checked', 'warning']]],
    );
  });
});

describe('normaliseSupplier', () => {
  it('cleans a German supplier with spaced, lower-case IBAN and BIC', () => {
    const r = normaliseSupplier({
      name: '  Müller\u00A0 Logistik\u200B   GmbH ',
      country: 'de',
      taxNumber: 'DE 136 695 976',
      iban: 'de89 3704 0044 0532 0130 00',
      bic: 'cobadeffxxx',
    });
    assert.deepEqual(r, {
      supplier: {
        name: 'Müller Logistik GmbH',
        legalForm: 'GmbH',
        matchName: 'mueller logistik',
        country: 'DE',
        taxNumber: 'DE136695976',
        taxNumberCountry: 'DE',
        iban: 'DE89370400440532013000',
        ibanCountry: 'DE',
        bic: 'COBADEFFXXX',
      },
      issues: [],
    });
  });

  it('reports a missing name and an unknown country', () => {
    const r = normaliseSupplier({ name: '   ', country: 'XX' });
    assert.deepEqual(codes(r), ['name_missing', 'country_unknown']);
    assert.equal(r.supplier.country, undefined);
  });

  it('refuses an IBAN with a typing error and explains why', () => {
    const r = normaliseSupplier({ name: 'Acme Corp', country: 'DE', iban: 'DE89 3704 0044 0532 0130 01' });
    assert.deepEqual(codes(r), ['iban_invalid']);
    assert.match(r.issues[0]?.message ?? '', /check digits are wrong/);
    assert.deepEqual(codes(normaliseSupplier({ name: 'Acme Corp', iban: 'GB29NWBK6016133192681' })), ['iban_invalid']);
  });

  it('warns when the IBAN is from another country than the supplier', () => {
    const r = normaliseSupplier({ name: 'Van Dijk Logistiek B.V.', country: 'NL', iban: 'BE68 5390 0754 7034' });
    assert.deepEqual(
      r.issues.map((i) => [i.code, i.severity]),
      [['iban_country_mismatch', 'warning']],
    );
    assert.equal(r.supplier.iban, 'BE68539007547034');
  });

  it('refuses a malformed BIC and warns on a BIC from another country than the IBAN', () => {
    assert.deepEqual(
      codes(normaliseSupplier({ name: 'Acme GmbH', country: 'DE', iban: 'DE89370400440532013000', bic: 'COBA DE' })),
      ['bic_invalid'],
    );
    const r = normaliseSupplier({ name: 'Acme GmbH', country: 'DE', iban: 'DE89370400440532013000', bic: 'ABNANL2A' });
    assert.deepEqual(
      r.issues.map((i) => [i.code, i.severity]),
      [['bic_iban_mismatch', 'warning']],
    );
  });

  it('normalises full-width and composed characters (NFKC)', () => {
    const r = normaliseSupplier({ name: 'Ｔｏｋｙｏ Ｂｏｅｋｉ ＫＫ', country: 'JP' });
    assert.equal(r.supplier.name, 'Tokyo Boeki KK');
    assert.equal(r.supplier.legalForm, 'KK');
    assert.equal(r.supplier.matchName, 'tokyo boeki');
  });
});
