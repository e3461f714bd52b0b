import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nameSimilarity, roundScore, similarityUpperBound } from './name-similarity.js';
import { matchSupplier, prepareVendors, type VendorRecord } from './supplier-match.js';
import { normaliseSupplier, type SupplierInput } from './supplier-normalise.js';

const vendors: VendorRecord[] = [
  {
    vendorId: '1000017',
    name: 'Mueller Logistik',
    country: 'DE',
    taxNumbers: [],
    ibans: ['DE02 1203 0000 0000 2020 51'],
    blocked: false,
  },
  {
    vendorId: '1000023',
    name: 'ACME Corporation Ltd.',
    country: 'GB',
    taxNumbers: ['GB980780684'],
    ibans: [],
    blocked: false,
  },
  {
    vendorId: '1000031',
    name: 'Schenker Spedition GmbH & Co. KG',
    country: 'DE',
    taxNumbers: ['136695976'],
    ibans: ['DE89370400440532013000'],
    blocked: false,
  },
  {
    vendorId: '1000044',
    name: 'Schenker Spedition Süd GmbH',
    country: 'DE',
    taxNumbers: [],
    ibans: ['DE89 3704 0044 0532 0130 00'],
    blocked: false,
  },
  {
    vendorId: '1000052',
    name: 'Olympiaki Trofima AE',
    country: 'GR',
    taxNumbers: ['GR094259216'],
    ibans: [],
    blocked: true,
  },
  {
    vendorId: '1000068',
    name: 'Müller Logistik GmbH',
    country: 'AT',
    taxNumbers: ['ATU13585627'],
    ibans: [],
    blocked: false,
  },
  { vendorId: '1000075', name: 'Muller Logistics', taxNumbers: [], ibans: [], blocked: false },
  {
    vendorId: '1000081',
    name: 'Deutsche Bahn AG',
    country: 'DE',
    taxNumbers: ['DE811569869'],
    ibans: [],
    blocked: false,
  },
];

function candidate(input: SupplierInput) {
  return normaliseSupplier(input).supplier;
}

describe('nameSimilarity', () => {
  it('scores equal names 1 and unrelated names low', () => {
    assert.equal(nameSimilarity('mueller logistik', 'mueller logistik'), 1);
    assert.ok(nameSimilarity('mueller logistik', 'deutsche bahn') < 0.4);
    assert.equal(nameSimilarity('', 'acme'), 0);
  });

  it('tolerates typing errors, word order, joined words and an extra word', () => {
    assert.equal(nameSimilarity('muller logistik', 'mueller logistik'), 0.933);
    assert.equal(nameSimilarity('logistik mueller', 'mueller logistik'), 1);
    assert.equal(nameSimilarity('coca cola', 'cocacola'), 1);
    assert.equal(nameSimilarity('schenker spedition', 'schenker spedition sued'), 0.81);
  });

  it('never scores above its cheap upper bound', () => {
    const names = [
      'mueller logistik',
      'muller logistik',
      'logistik mueller',
      'acme',
      'acme acme',
      'schenker spedition sued',
      'abcde',
      'abcd',
      'deutsche bahn',
      'db',
      'coca cola',
      'cocacola',
    ];
    for (const a of names)
      for (const b of names)
        assert.ok(nameSimilarity(a, b) <= roundScore(similarityUpperBound(a, b)) + 0.0005, `${a} / ${b}`);
    assert.ok(similarityUpperBound('acme', 'deutsche bahn aktiengesellschaft') < 0.6);
  });

  it('is symmetric and rounded to 3 decimals', () => {
    const a = nameSimilarity('nordwind handels', 'nordwind handel');
    assert.equal(a, nameSimilarity('nordwind handel', 'nordwind handels'));
    assert.equal(a, Math.round(a * 1000) / 1000);
  });
});

describe('matchSupplier', () => {
  it('links on the same VAT number, stored with or without prefix', () => {
    const r = matchSupplier(
      candidate({ name: 'Schenker Spedition GmbH & Co. KG', country: 'DE', taxNumber: 'DE 136 695 976' }),
      vendors,
    );
    assert.deepEqual(r, {
      decision: 'link',
      vendorId: '1000031',
      candidates: [{ vendorId: '1000031', score: 1, reasons: ['same tax number DE136695976'] }],
    });
  });

  it('links on a UK VAT number written with XI', () => {
    const r = matchSupplier(candidate({ name: 'Acme Corp', country: 'GB', taxNumber: 'XI980780684' }), vendors);
    assert.equal(r.decision, 'link');
    assert.equal(r.vendorId, '1000023');
  });

  it('links on the same IBAN written with spaces and in lower case', () => {
    const r = matchSupplier(
      candidate({ name: 'Müller Logistik GmbH', country: 'DE', iban: 'de02 1203 0000 0000 2020 51' }),
      vendors,
    );
    assert.equal(r.decision, 'link');
    assert.equal(r.vendorId, '1000017');
    assert.deepEqual(r.candidates[0]?.reasons, ['same IBAN DE02120300000000202051']);
  });

  it('sends the same IBAN under a different tax number to review, saying the tax numbers differ', () => {
    const r = matchSupplier(
      candidate({
        name: 'Schenker Spedition GmbH',
        country: 'DE',
        taxNumber: 'DE811569869',
        iban: 'DE89370400440532013000',
      }),
      [vendors[2]!],
    );
    assert.equal(r.decision, 'review');
    assert.deepEqual(r.candidates[0]?.reasons, [
      'same IBAN DE89370400440532013000',
      "tax numbers differ: DE811569869 against the vendor's 136695976",
    ]);
  });

  it('sends a supplier whose IBAN two vendors hold to review, listing both', () => {
    const r = matchSupplier(
      candidate({ name: 'Schenker Spedition', country: 'DE', iban: 'DE89370400440532013000' }),
      vendors,
    );
    assert.equal(r.decision, 'review');
    assert.equal(r.vendorId, undefined);
    assert.deepEqual(
      r.candidates.map((c) => [c.vendorId, c.score]),
      [
        ['1000031', 1],
        ['1000044', 1],
      ],
    );
  });

  it('sends an exact match to a blocked vendor to review', () => {
    const r = matchSupplier(
      candidate({ name: 'Olympiaki Trofima A.E.', country: 'GR', taxNumber: 'EL094259216' }),
      vendors,
    );
    assert.equal(r.decision, 'review');
    assert.deepEqual(r.candidates[0]?.reasons, ['same tax number EL094259216', 'vendor is blocked']);
  });

  it('reviews a close name in the same country, including vendors without a country, sorted by score', () => {
    const r = matchSupplier(candidate({ name: 'Müller Logistik GmbH', country: 'DE' }), vendors);
    assert.equal(r.decision, 'review');
    assert.deepEqual(
      r.candidates.map((c) => [c.vendorId, c.score]),
      [
        ['1000017', 1],
        ['1000075', 0.8],
      ],
    );
    assert.ok(r.candidates[1]?.reasons.includes('vendor has no country; compared by name only'));
    assert.ok(!r.candidates.some((c) => c.vendorId === '1000068'), 'the Austrian namesake is another country');
  });

  it('scores "Acme Corp" and "ACME Corporation Ltd." as the same name', () => {
    const r = matchSupplier(candidate({ name: 'Acme Corp', country: 'GB' }), vendors);
    assert.equal(r.decision, 'review');
    assert.equal(r.candidates[0]?.vendorId, '1000023');
    assert.equal(r.candidates[0]?.score, 1);
  });

  it('says when the tax numbers differ although the names are alike', () => {
    const r = matchSupplier(
      candidate({ name: 'Deutsche Bahn AG', country: 'DE', taxNumber: 'DE136695976' }),
      vendors.filter((v) => v.vendorId !== '1000031'),
    );
    assert.equal(r.decision, 'review');
    assert.deepEqual(r.candidates[0]?.reasons, [
      'name similarity 1.000: "deutsche bahn" ~ "deutsche bahn"',
      'tax numbers differ',
    ]);
  });

  it('creates when nothing is close enough, and honours reviewAbove', () => {
    const fresh = matchSupplier(candidate({ name: 'Nordwind Handels GmbH', country: 'DE' }), vendors);
    assert.deepEqual(fresh, { decision: 'create', candidates: [] });
    const strict = matchSupplier(candidate({ name: 'Muller Logistik', country: 'DE' }), vendors, { reviewAbove: 0.95 });
    assert.equal(strict.decision, 'create');
    assert.equal(strict.candidates[0]?.vendorId, '1000017');
  });

  it('compares a supplier without a country against every vendor and says so', () => {
    const r = matchSupplier(candidate({ name: 'Müller Logistik' }), vendors);
    assert.deepEqual(
      r.candidates.map((c) => c.vendorId),
      ['1000017', '1000068', '1000075'],
    );
    assert.ok(r.candidates[0]?.reasons.includes('supplier has no country; vendor is in DE'));
  });

  it('gives the same answer with a prepared vendor master', () => {
    const prepared = prepareVendors(vendors);
    const input = candidate({ name: 'Schenker Spedition', country: 'DE', iban: 'DE89370400440532013000' });
    assert.deepEqual(matchSupplier(input, prepared), matchSupplier(input, vendors));
  });
});
