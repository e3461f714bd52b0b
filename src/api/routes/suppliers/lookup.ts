/**
 * GET /v1/suppliers/lookup — a synchronous check for procurement and expense front ends: which ERP
 * vendors match a name, tax number or IBAN, with the vendor number, name, country, company codes,
 * payment block, the hub's supplier state, and the match score and reasons. Answered from the ERP
 * vendor master held in memory (read on first use, kept current by the vendor poller), never by a
 * database or ERP call per request. Names are compared as supplier onboarding compares them.
 */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import type { ApiContext, ApiServer } from '../../api-context.js';

const Text = (description: string, maxLength = 140) =>
  Type.Optional(Type.String({ minLength: 1, maxLength, description }));

const LookupQuery = Type.Object(
  {
    name: Text('the supplier name as entered; legal form, case, accents and punctuation do not matter'),
    taxNumber: Text('VAT registration (with or without its country prefix) or national tax number', 40),
    iban: Text('IBAN, spaces allowed', 50),
    country: Text('ISO country code: compares names only with vendors of that country', 2),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 5 })),
  },
  { additionalProperties: false },
);

const LookupMatchSchema = Type.Object({
  vendorId: Type.String({ description: 'the ERP vendor number' }),
  name: Type.String(),
  country: Type.Union([Type.String(), Type.Null()]),
  companyCodes: Type.Array(Type.String()),
  paymentBlocked: Type.Boolean({ description: 'the ERP blocks payments or postings to this vendor' }),
  supplierId: Type.Union([Type.String(), Type.Null()], { description: 'the hub supplier linked to this vendor' }),
  supplierStatus: Type.Union([Type.String(), Type.Null()], {
    description: 'its lifecycle state: active, blocked_for_payment, …',
  }),
  score: Type.Number({ description: '1 for the same tax number or IBAN, else the name similarity (0–1)' }),
  reasons: Type.Array(Type.String()),
});

const LookupAnswerSchema = Type.Object({
  matches: Type.Array(LookupMatchSchema),
  issues: Type.Array(
    Type.Object({ code: Type.String(), message: Type.String(), path: Type.String(), severity: Type.String() }),
  ),
  asOf: Type.String({ description: 'when the vendor master was last read' }),
});

export function registerSupplierLookupRoute(app: ApiServer, ctx: ApiContext): void {
  const reviewAbove = ctx.config.flows.supplierOnboarding?.fuzzyMatch?.reviewAbove;
  app.get(
    '/v1/suppliers/lookup',
    {
      config: { action: 'coding:validate' },
      schema: {
        summary: 'Find ERP vendors by name, tax number or IBAN',
        querystring: LookupQuery,
        response: { 200: LookupAnswerSchema },
      },
    },
    async (request) => {
      const { name, taxNumber, iban, country, limit } = request.query;
      if (name === undefined && taxNumber === undefined && iban === undefined) {
        throw new LedgerlinkError('LL_ERR_BAD_REQUEST', 'Give a name, taxNumber or iban to look up', {
          details: [{ path: 'querystring', message: 'name, taxNumber or iban required' }],
        });
      }
      const index = ctx.supplierLookup;
      if (index === undefined)
        throw new LedgerlinkError('LL_ERR_NOT_FOUND', 'Supplier lookup needs an ERP system in the configuration');
      await index.ensureLoaded();
      const answer = index.lookup(
        {
          ...(name === undefined ? {} : { name }),
          ...(taxNumber === undefined ? {} : { taxNumber }),
          ...(iban === undefined ? {} : { iban }),
          ...(country === undefined ? {} : { country: country.toUpperCase() }),
          ...(limit === undefined ? {} : { limit }),
        },
        reviewAbove === undefined ? {} : { reviewAbove },
      );
      return {
        matches: answer.matches.map((m) => ({ ...m, companyCodes: [...m.companyCodes], reasons: [...m.reasons] })),
        issues: [...answer.issues],
        asOf: new Date(answer.asOf).toISOString(),
      };
    },
  );
}
