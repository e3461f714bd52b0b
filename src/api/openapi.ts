/**
 * The OpenAPI 3.1 document: @fastify/swagger collects the routes' TypeBox schemas, and the canonical
 * finance objects are published under components.schemas by their `$id`. Served at GET /docs/json (and GET /docs to JSON clients; docs-page.ts). Every
 * route needs a bearer token (`bearerAuth`) except the public ones, whose security list is empty.
 */
import fastifySwagger from '@fastify/swagger';
import { canonicalSchemas } from '../canonical/model/index.js';
import type { ApiServer } from './api-context.js';

/** Canonical schemas keyed by `$id`, as plain JSON Schema (the `$id` itself becomes the key). */
export function canonicalComponents(): Record<string, Record<string, unknown>> {
  const components: Record<string, Record<string, unknown>> = {};
  for (const schema of canonicalSchemas) {
    const { $id, ...rest } = JSON.parse(JSON.stringify(schema)) as { $id?: string } & Record<string, unknown>;
    if (typeof $id === 'string') components[$id] = rest;
  }
  return components;
}

export async function registerOpenApi(app: ApiServer, version: string): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ledgerlink',
        version,
        description: 'Finance integration hub: events in, runs, effects posted exactly once, traces and metrics out.',
      },
      components: {
        schemas: canonicalComponents(),
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'an API token (llt_…) issued by ledgerlink tokens create',
          },
        },
      },
      security: [{ bearerAuth: [] }],
    },
    // Public routes (config.public) need no token: they say so with an empty security requirement.
    transform: ({ schema, url, route }) => {
      const isPublic = (route.config as { public?: boolean } | undefined)?.public === true;
      return { schema: isPublic ? { ...schema, security: [] } : schema, url };
    },
  });
}
