/**
 * The simulator's models (simulator/coupa-models.ts) checked against Coupa's R39 OpenAPI files: every
 * field it lets a write carry is in the definition and not read-only, every field it refuses as
 * read-only is read-only there, what it requires on a create is required there, and its value lists
 * are the file's. Skipped only when the artifacts are not there.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MODELS, type ResourceModel } from './simulator/coupa-models.js';

const FOLDER = join(process.cwd(), '..', 'shared', 'reference', 'contracts', 'coupa');

interface Definition {
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, { readonly readOnly?: boolean; readonly enum?: readonly string[] }>>;
}

function definitionOf(model: ResourceModel): Definition {
  const [file, name] = model.source.split('#') as [string, string];
  const doc = JSON.parse(readFileSync(join(FOLDER, file), 'utf8')) as { definitions: Record<string, Definition> };
  const definition = doc.definitions[name];
  assert.ok(definition !== undefined, `${model.source} exists`);
  return definition;
}

test(
  'the simulator enforces what the R39 models say',
  { skip: !existsSync(FOLDER) && `no artifacts at ${FOLDER}` },
  () => {
    const models: ResourceModel[] = [...Object.values(MODELS), ...Object.values(MODELS.integrationErrors.nested)];
    for (const model of models) {
      const definition = definitionOf(model);
      const properties = definition.properties ?? {};
      for (const field of model.writable) {
        assert.ok(properties[field] !== undefined, `${model.source}: ${field} exists`);
        assert.notEqual(properties[field]?.readOnly, true, `${model.source}: ${field} is writable`);
      }
      for (const field of model.readOnly)
        assert.equal(properties[field]?.readOnly, true, `${model.source}: ${field} is read-only`);
      for (const field of model.required)
        assert.ok((definition.required ?? []).includes(field), `${model.source}: ${field} is required`);
      for (const [field, values] of Object.entries(model.values ?? {}))
        assert.deepEqual(values, properties[field]?.enum, `${model.source}: ${field} values`);
    }
  },
);
