/**
 * Integration history records as the connector writes them (R39 Core IntegrationHistoryRecord with
 * nested `responses[]` of IntegrationRecordResponse): `document-type`, `document-id` (an integer),
 * `status`, `contact-alert-type`, the integration by `code`, and our reference written as one more
 * response under a code per kind, so a record whose answer was lost is found again.
 */
import { JsonNumber, ownValue, type JsonObject, type JsonValue } from '../../canonical/strict-json.js';
import type { IntegrationRecord, IntegrationRecordKind } from '../ports/procurement-port.js';

/** The response code our reference is written under, by kind, so a record can be found by it. */
const REFERENCE_CODE: Readonly<Record<IntegrationRecordKind, string>> = {
  history: 'ledgerlink-reference',
  error: 'ledgerlink-error-reference',
};

function responsesOf(record: JsonObject): JsonObject[] {
  const responses = ownValue(record, 'responses');
  return Array.isArray(responses)
    ? responses.filter(
        (r): r is JsonObject => r !== null && typeof r === 'object' && !Array.isArray(r) && !(r instanceof JsonNumber),
      )
    : [];
}

export function integrationBody(record: IntegrationRecord, kind: IntegrationRecordKind): JsonValue {
  return {
    'document-type': record.documentType,
    'document-id': /^\d+$/.test(record.documentId) ? new JsonNumber(record.documentId) : record.documentId,
    status: record.status,
    'contact-alert-type': record.alertType ?? 'Functional',
    ...(record.integrationCode === undefined ? {} : { integration: { code: record.integrationCode } }),
    responses: [
      ...record.responses.map((r) => ({ 'response-code': r.code, 'response-message': r.message })),
      ...(record.reference === undefined
        ? []
        : [{ 'response-code': REFERENCE_CODE[kind], 'response-message': record.reference }]),
    ],
  };
}

/** True when the record carries our reference for this kind among its responses. */
export function carriesReference(record: JsonObject, kind: IntegrationRecordKind, reference: string): boolean {
  return responsesOf(record).some(
    (r) => r['response-code'] === REFERENCE_CODE[kind] && r['response-message'] === reference,
  );
}
