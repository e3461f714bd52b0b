/**
 * POST /v1/validate/posting — will this whole draft document post? The pre-posting check the posting
 * flows run when a document arrives (validation/posting-check.ts), answered synchronously from the
 * master data and the ERP vendor master held in this process: company code, the period of the
 * posting date, every line's coding on that date, and the payee not blocked. Each issue says where
 * the document would go (`return`: back to its owner in the source; `wait`: held in the hub), by the
 * configured policy (`flows.postingCheck.waitInHub`).
 */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import {
  checkPostingDraft,
  DEFAULT_POSTING_CHECK_POLICY,
  withDisposition,
  type PayeeState,
} from '../../../validation/posting-check.js';
import type { ApiContext, ApiServer } from '../../api-context.js';

const Code = (description: string, maxLength = 32) => Type.String({ minLength: 1, maxLength, description });

export const PostingDraftSchema = Type.Object(
  {
    entity: Code('legal entity (company code)', 16),
    postingDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'posting date, YYYY-MM-DD' }),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'document currency (ISO 4217)' })),
    vendor: Type.Optional(Code('the payee: ERP vendor number of the supplier or the employee', 16)),
    lines: Type.Array(
      Type.Object(
        {
          account: Code('GL account'),
          costCenter: Type.Optional(Code('cost center')),
          project: Type.Optional(Code('project or WBS element', 64)),
          taxCode: Type.Optional(Code('tax code', 16)),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);

export const PostingCheckResultSchema = Type.Object({
  valid: Type.Boolean({ description: 'true when the document would post as it is' }),
  outcome: Type.Union([Type.Literal('post'), Type.Literal('return'), Type.Literal('wait')], {
    description: 'post; return (an issue goes back to the source); wait (only issues the hub holds)',
  }),
  issues: Type.Array(
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      path: Type.String(),
      disposition: Type.Union([Type.Literal('return'), Type.Literal('wait')]),
    }),
  ),
});

async function payeeOf(ctx: ApiContext, vendorId: string | undefined): Promise<PayeeState | undefined> {
  const lookup = ctx.supplierLookup;
  if (vendorId === undefined || lookup === undefined) return undefined;
  await lookup.ensureLoaded().catch(() => undefined);
  if (!lookup.loaded) return undefined;
  const vendor = lookup.vendor(vendorId);
  return vendor === undefined
    ? { vendorId, known: false, blocked: false, companyCodes: [] }
    : { vendorId, known: true, blocked: vendor.blocked, companyCodes: vendor.companyCodes };
}

export function registerValidatePostingRoute(app: ApiServer, ctx: ApiContext): void {
  app.post(
    '/v1/validate/posting',
    {
      config: { action: 'coding:validate' },
      schema: {
        summary: 'Check that a whole draft document would post (period, company code, coding, payee)',
        body: PostingDraftSchema,
        response: { 200: PostingCheckResultSchema },
      },
    },
    async (request) => {
      const index = ctx.masterData?.cache.index;
      if (index === undefined || ctx.masterData === undefined) {
        throw new LedgerlinkError(
          'LL_ERR_MASTER_DATA_UNAVAILABLE',
          'The hub holds no master data yet; the document cannot be checked',
          { details: [{ message: 'the master data flow has not committed a snapshot' }] },
        );
      }
      const policy = {
        waitInHub: ctx.config.flows.postingCheck?.waitInHub ?? DEFAULT_POSTING_CHECK_POLICY.waitInHub,
      };
      const payee = await payeeOf(ctx, request.body.vendor);
      const issues = withDisposition(checkPostingDraft(request.body, index, ctx.masterData.calendar(), payee), policy);
      const outcome: 'post' | 'return' | 'wait' =
        issues.length === 0 ? 'post' : issues.some((i) => i.disposition === 'return') ? 'return' : 'wait';
      return { valid: issues.length === 0, outcome, issues };
    },
  );
}
