/** The seeded suppliers' IBANs carry valid ISO 13616 check digits (what ibantools and the ERP check). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { seedEstate } from './estate.js';
import { ibanCheckDigits, isValidIbanChecksum, makeIban } from './iban.js';

/** An independent MOD 97-10 check with BigInt: rearranged, letters as 10–35, remainder 1. */
function passesMod97(iban: string): boolean {
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`.replace(/[A-Z]/g, (ch) =>
    (ch.charCodeAt(0) - 55).toString(),
  );
  return /^[0-9]+$/.test(rearranged) && BigInt(rearranged) % 97n === 1n;
}

const LENGTH: Readonly<Record<string, number>> = { DE: 22, GB: 22 };

describe('Coupa simulator seed IBANs', () => {
  test('the check digit function agrees with published examples and refuses a corrupted IBAN', () => {
    assert.equal(makeIban('GB', 'NWBK60161331926819'), 'GB29NWBK60161331926819');
    assert.equal(makeIban('DE', '370400440532013000'), 'DE89370400440532013000');
    assert.equal(ibanCheckDigits('FR', '20041010050500013M02606'), '14');
    assert.equal(isValidIbanChecksum('DE89370400440532013000'), true);
    assert.equal(isValidIbanChecksum('DE88370400440532013000'), false);
    assert.equal(isValidIbanChecksum('GB29NWBK60161331926818'), false);
    assert.equal(isValidIbanChecksum('de89370400440532013000'), false);
    assert.throws(() => makeIban('DE', '3704-0044'), RangeError);
  });

  test('every seeded supplier IBAN passes mod-97 and has its country length', () => {
    const ibans = seedEstate().supplierInformation.flatMap((information) => {
      const addresses = information['supplier-information-addresses'] as {
        country: { code: string };
        'iban-number'?: string;
      }[];
      return addresses
        .filter((a) => a.country.code !== 'US')
        .map((a) => ({ country: a.country.code, iban: a['iban-number'] ?? '' }));
    });
    assert.ok(ibans.length >= 40, `${ibans.length} IBANs seeded`);
    assert.deepEqual(new Set(ibans.map((i) => i.country)), new Set(['DE', 'GB']));
    for (const { country, iban } of ibans) {
      assert.ok(iban.startsWith(country), iban);
      assert.equal(iban.length, LENGTH[country], iban);
      assert.ok(passesMod97(iban), `${iban} fails mod-97`);
      assert.ok(isValidIbanChecksum(iban), iban);
    }
    assert.equal(new Set(ibans.map((i) => i.iban)).size, ibans.length, 'IBANs are distinct');
  });
});
