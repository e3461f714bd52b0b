/** The migration list: one numbered file per migration, listed once, in the order they apply. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { assertAscendingVersions, type MigrationDefinition } from '../../src/store/migration-runner.js';
import { migrationDefinitions } from '../../src/store/migrations/index.js';
import { postgresMigrations } from '../../src/store/postgres/migrations.js';
import { sqliteMigrations } from '../../src/store/sqlite/migrations.js';

const migrationsDir = join(import.meta.dirname, '../../src/store/migrations');

function isDefinition(value: unknown): value is MigrationDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['version'] === 'number' && typeof v['name'] === 'string' && typeof v['statements'] === 'function';
}

describe('migration list', () => {
  test('versions are 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12 in that order (5 was never used and stays unused)', () => {
    assert.deepEqual(
      migrationDefinitions.map((m) => m.version),
      [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12],
    );
  });

  test('both dialects bind the same list in the same order', () => {
    const expected = migrationDefinitions.map((m) => [m.version, m.name]);
    assert.deepEqual(
      sqliteMigrations.map((m) => [m.version, m.name]),
      expected,
    );
    assert.deepEqual(
      postgresMigrations.map((m) => [m.version, m.name]),
      expected,
    );
  });

  test('every NNN-<name>.ts file defines migration NNN with that name, and is listed', async () => {
    const files = readdirSync(migrationsDir)
      .filter((f) => /^\d{3}-.+\.ts$/.test(f))
      .sort();
    assert.equal(files.length, migrationDefinitions.length, `files: ${files.join(', ')}`);
    for (const file of files) {
      const module = (await import(join(migrationsDir, file))) as Record<string, unknown>;
      const definitions = Object.values(module).filter(isDefinition);
      assert.equal(definitions.length, 1, `${file} exports one migration definition`);
      const definition = definitions[0]!;
      assert.equal(definition.version, Number(file.slice(0, 3)), file);
      assert.equal(definition.name.replace(/ /g, '-'), file.slice(4, -3), file);
      assert.ok(migrationDefinitions.includes(definition), `${file} is listed in migrations/index.ts`);
    }
  });

  test('a list out of order, or with a version twice, is refused', () => {
    assert.doesNotThrow(() =>
      assertAscendingVersions([
        { version: 1, name: 'a' },
        { version: 2, name: 'b' },
        { version: 4, name: 'c' },
      ]),
    );
    assert.throws(
      () =>
        assertAscendingVersions([
          { version: 1, name: 'a' },
          { version: 3, name: 'c' },
          { version: 2, name: 'b' },
        ]),
      /Migration 2 'b' is listed after migration 3 'c'/,
    );
    assert.throws(
      () =>
        assertAscendingVersions([
          { version: 1, name: 'a' },
          { version: 1, name: 'again' },
        ]),
      /strictly ascending/,
    );
    assert.throws(() => assertAscendingVersions([{ version: 0, name: 'zero' }]), /positive integers/);
  });
});
