/**
 * GET /v1/master-data/in-flight — documents in flight that reference master data about to fail their
 * posting. Without `code`: every cost center, project and GL account the ERP blocked, closed or let
 * expire, or whose validity ends within `withinDays` (default 30), that in-flight documents still
 * name, each with those documents and their owners. With `kind` and `code` (and `entity`): that one
 * value's documents; `kind=vendor` lists the documents paying the ERP vendor, with its blocked state
 * from the hub's copy of the vendor master. See insights/in-flight.ts.
 */
import { Type } from 'typebox';
import { LedgerlinkError } from '../../../canonical/errors.js';
import { isoDay } from '../../../canonical/time.js';
import { inFlightIndex, type InFlightDocument, type ReferenceKind } from '../../../insights/in-flight.js';
import type { ApiContext, ApiServer } from '../../api-context.js';

const KINDS: readonly ReferenceKind[] = ['cost_center', 'project', 'gl_account', 'vendor'];

const InFlightQuery = Type.Object(
  {
    kind: Type.Optional(Type.Union(KINDS.map((k) => Type.Literal(k)))),
    code: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'the value (cost center, WBS element, GL account, ERP vendor)',
      }),
    ),
    entity: Type.Optional(Type.String({ minLength: 1, maxLength: 16, description: 'company code' })),
    withinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 366, default: 30 })),
  },
  { additionalProperties: false },
);

interface ValueView {
  readonly kind: ReferenceKind;
  readonly entity: string | null;
  readonly code: string;
  readonly validTo: string | null;
  readonly retired: boolean;
  readonly retiredReason: string | null;
  readonly documents: InFlightDocument[];
}

const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export function registerInFlightRoute(app: ApiServer, ctx: ApiContext): void {
  app.get(
    '/v1/master-data/in-flight',
    {
      config: { action: 'master-data:read' },
      schema: {
        summary: 'In-flight documents referencing blocked, expired or expiring master data, with their owners',
        querystring: InFlightQuery,
      },
    },
    async (request) => {
      const { kind, code, entity } = request.query;
      const withinDays = request.query.withinDays ?? 30;
      if (code !== undefined && kind === undefined)
        throw new LedgerlinkError('LL_ERR_BAD_REQUEST', 'Give the kind of the value with its code', {
          details: [{ path: 'querystring/kind', message: `one of ${KINDS.join(', ')}` }],
        });
      const today = isoDay(Date.now());
      const index = await inFlightIndex(ctx.engine.store, (runIds) => ctx.engine.runStates(runIds));
      const entries =
        ctx.masterData === undefined ? [] : await ctx.masterData.repository.current({ includeRetired: true });
      const values: ValueView[] = [];
      if (kind === 'vendor' && code !== undefined) {
        const vendor = ctx.supplierLookup?.loaded === true ? ctx.supplierLookup.vendor(code) : undefined;
        values.push({
          kind,
          entity: null,
          code,
          validTo: null,
          retired: vendor?.blocked === true,
          retiredReason: vendor?.blocked === true ? 'blocked' : null,
          documents: index.documents('vendor', code),
        });
        return { asOf: today, inFlightRuns: index.size, values };
      }
      const horizon = addDays(today, withinDays);
      // A cost center is kept once per validity interval: the interval in force today, else the latest, speaks for it.
      const inForce = (e: (typeof entries)[number]): boolean =>
        (e.validFrom === null || e.validFrom <= today) && (e.validTo === null || e.validTo >= today);
      const chosen = new Map<string, (typeof entries)[number]>();
      for (const e of entries) {
        if (!KINDS.includes(e.kind as ReferenceKind)) continue;
        const [valueEntity = '', valueCode = ''] = e.key.split('/');
        if (kind !== undefined && e.kind !== kind) continue;
        if (code !== undefined && valueCode !== code) continue;
        if (entity !== undefined && valueEntity !== entity) continue;
        const key = `${e.kind}/${valueEntity}/${valueCode}`;
        const held = chosen.get(key);
        if (held === undefined || (!inForce(held) && (inForce(e) || (e.validFrom ?? '') > (held.validFrom ?? ''))))
          chosen.set(key, e);
      }
      for (const e of chosen.values()) {
        const [valueEntity = '', valueCode = ''] = e.key.split('/');
        const expiring = e.validTo !== null && e.validTo <= horizon;
        if (code === undefined && !e.retired && !expiring) continue;
        const documents = index.documents(e.kind as ReferenceKind, valueCode, valueEntity);
        if (code === undefined && documents.length === 0) continue;
        values.push({
          kind: e.kind as ReferenceKind,
          entity: valueEntity,
          code: valueCode,
          validTo: e.validTo,
          retired: e.retired,
          retiredReason: e.retiredReason,
          documents,
        });
      }
      return { asOf: today, inFlightRuns: index.size, values };
    },
  );
}
