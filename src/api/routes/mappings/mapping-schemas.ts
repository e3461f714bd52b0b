/** Request and response schemas of the mapping routes, for validation, serialisation and the OpenAPI document. */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { MappingActor } from '../../../hub/mapping-sets/mapping-set-store.js';
import { actorOf } from '../../route-access.js';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const When = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const VersionParams = Type.Object({
  version: Type.String({ minLength: 3, maxLength: 100, description: 'label@hash12, e.g. travel@3f2a9c1b7d04' }),
});

export const MappingSetRecordSchema = Type.Object(
  {
    version: Type.String({ description: 'label@ first 12 hex of the content hash' }),
    label: Type.String(),
    hash: NullableString,
    status: Type.String({ description: 'pending_approval, published (the current set), superseded or rejected' }),
    author: Type.String(),
    approvedBy: NullableString,
    rejectedBy: NullableString,
    rejectionReason: NullableString,
    createdAt: Type.String({ format: 'date-time' }),
    approvedAt: When,
    rejectedAt: When,
    supersededAt: When,
  },
  { description: 'one mapping set version' },
);

export const MappingSetListSchema = Type.Object({ mappings: Type.Array(MappingSetRecordSchema) });

export const MappingSetContentSchema = Type.Object(
  { ...MappingSetRecordSchema.properties, content: Type.String({ description: 'the YAML text as registered' }) },
  { description: 'one mapping set version with its content' },
);

export const RegisteredSchema = Type.Object(
  {
    ...MappingSetRecordSchema.properties,
    created: Type.Boolean({ description: 'false when a set with the same content was already stored' }),
  },
  { description: 'the registered set' },
);

export const ContentBody = Type.Object(
  { content: Type.String({ minLength: 1, description: 'the mapping set as YAML text' }) },
  { additionalProperties: false },
);

export const RejectBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

/** The caller as the publication store sees it: the token's name (for SoD) and the audit actor. */
export function mappingActorOf(request: FastifyRequest): MappingActor {
  return { name: request.principal?.name ?? 'anonymous', actor: actorOf(request) };
}
