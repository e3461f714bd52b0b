/**
 * How a reconciliation is answered: JSON by default, CSV when `?format=csv` or the client accepts
 * text/csv (and not JSON). Card numbers are masked in either form.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Reconciliation } from '../../../insights/reconciliation/store.js';
import { reconciliationCsv } from '../../../insights/reconciliation/csv.js';
import { maskPansDeep } from '../../../security/pan-masking.js';

export const FormatQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: 'answer as JSON (default) or CSV' }),
    ),
  },
  { additionalProperties: false },
);

function wantsCsv(request: FastifyRequest, format: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  const accept = request.headers.accept ?? '';
  return accept.includes('text/csv') && !accept.includes('application/json');
}

export function sendReconciliation(
  request: FastifyRequest,
  reply: FastifyReply,
  rec: Reconciliation,
  format: string | undefined,
  status = 200,
): FastifyReply {
  if (wantsCsv(request, format)) {
    return reply
      .code(status)
      .header('content-disposition', `attachment; filename="reconciliation-${rec.id}.csv"`)
      .type('text/csv; charset=utf-8')
      .send(reconciliationCsv(rec));
  }
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(maskPansDeep(rec)));
}
