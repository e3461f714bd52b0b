/**
 * POST /v1/validate/coding — may this coding be posted? Answered from the master data held in this
 * process (no database or ERP round trip): `{ valid, issues: [{ code, message, path, severity }] }`.
 * `valid` is false only for errors; warnings (a foreign currency) are shown without blocking.
 */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import { validateCoding } from '../../../validation/index.js';
import type { ApiContext, ApiServer } from '../../api-context.js';

const Code = (description: string, maxLength = 32) => Type.String({ minLength: 1, maxLength, description });

export const CodingRequestSchema = Type.Object(
  {
    entity: Code('legal entity (company code)', 16),
    account: Code('GL account'),
    costCenter: Type.Optional(Code('cost center')),
    project: Type.Optional(Code('project or WBS element', 64)),
    taxCode: Type.Optional(Code('tax code', 16)),
    date: Type.String({ minLength: 1, maxLength: 32, description: 'posting date, YYYY-MM-DD' }),
    currency: Type.Optional(Type.String({ minLength: 1, maxLength: 8, description: 'document currency (ISO 4217)' })),
  },
  { additionalProperties: false },
);

export const CodingResultSchema = Type.Object({
  valid: Type.Boolean(),
  issues: Type.Array(
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      path: Type.String(),
      severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
    }),
  ),
});

export function registerValidateCodingRoute(app: ApiServer, ctx: ApiContext): void {
  app.post(
    '/v1/validate/coding',
    {
      config: { action: 'coding:validate' },
      schema: {
        summary: 'Check a coding combination against the master data',
        body: CodingRequestSchema,
        response: { 200: CodingResultSchema },
      },
    },
    async (request) => {
      const index = ctx.masterData?.cache.index;
      if (index === undefined || ctx.masterData === undefined) {
        throw new LedgerlinkError(
          'LL_ERR_MASTER_DATA_UNAVAILABLE',
          'The hub holds no master data yet; the coding cannot be checked',
          {
            details: [{ message: 'the master data flow has not committed a snapshot' }],
          },
        );
      }
      const result = validateCoding(request.body, index, ctx.masterData.calendar());
      return { valid: result.valid, issues: [...result.issues] };
    },
  );
}
