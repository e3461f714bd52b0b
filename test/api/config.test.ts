/** The configuration loader: defaults, the environment, and every problem reported with its path. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Value } from 'typebox/value';
import { LedgerlinkError } from '../../src/canonical/errors.js';
import { ConfigFileSchema, configJsonSchema } from '../../src/config/config-schema.js';
import { loadConfig, parseConfigText, resolveConfig } from '../../src/config/load-config.js';

function problems(run: () => unknown): { path?: string; message: string }[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof LedgerlinkError);
    assert.equal(error.code, 'LL_ERR_CONFIG_INVALID');
    return [...error.details];
  }
  assert.fail('expected LL_ERR_CONFIG_INVALID');
}

describe('configuration', () => {
  test('without a file: the five default systems, echo only with LEDGERLINK_ECHO_URL', async () => {
    const plain = await loadConfig({ env: {} });
    assert.equal(plain.source, null);
    assert.deepEqual(Object.keys(plain.systems).sort(), ['directory', 'echo', 'erp', 'expense', 'procurement']);
    assert.equal(plain.echo, null);
    assert.equal(plain.server.bodyLimitBytes, 1024 * 1024);
    assert.equal(plain.server.rateLimit.enabled, true);
    const withEcho = await loadConfig({ env: { LEDGERLINK_ECHO_URL: 'http://127.0.0.1:9999/sink' } });
    assert.deepEqual(withEcho.echo, { url: 'http://127.0.0.1:9999/sink' });
    assert.throws(() => resolveConfig({}, null, { LEDGERLINK_ECHO_URL: 'file:///etc/passwd' }), /LEDGERLINK_ECHO_URL/);
  });

  test('a file is validated and completed with defaults', () => {
    const config = parseConfigText(
      [
        'systems:',
        '  erp: { kind: sap-s4hana }',
        '  spend: { kind: coupa }',
        'echo: { url: "http://sink.local/documents", systems: [spend] }',
        'engine: { leaseMs: 10000, concurrency: 4, backoff: { baseMs: 100, capMs: 1000 } }',
        'exceptionOwners: { transient: night-shift }',
        'server: { port: 9000, bodyLimitBytes: 2048 }',
      ].join('\n'),
      'ledgerlink.yaml',
      {},
    );
    assert.deepEqual(Object.keys(config.systems), ['erp', 'spend']);
    assert.deepEqual(config.echo, { url: 'http://sink.local/documents', systems: ['spend'] });
    assert.equal(config.engine.concurrency, 4);
    assert.equal(config.exceptionOwners.transient, 'night-shift');
    assert.equal(config.server.port, 9000);
    assert.equal(config.server.bodyLimitBytes, 2048);
    assert.equal(config.server.shutdownGraceMs, 10_000);
  });

  test('every problem is reported with its path', () => {
    const found = problems(() =>
      resolveConfig(
        {
          systems: { ERP: { kind: 'x' }, erp: {} },
          engine: { leaseMs: 'soon', backoff: { baseMs: 500, capMs: 100 } },
          exceptionOwners: { nobody: 'x' },
          server: { port: 70000, colour: 'blue' },
          extra: true,
        },
        'ledgerlink.yaml',
        {},
      ),
    );
    const paths = found.map((p) => p.path);
    for (const path of [
      'extra',
      'engine.leaseMs',
      'exceptionOwners.nobody',
      'server.port',
      'server.colour',
      'systems.erp',
    ]) {
      assert.ok(paths.includes(path), `${path} in ${paths.join(', ')}`);
    }
    const cross = problems(() =>
      resolveConfig(
        {
          systems: { erp: { kind: 'x' } },
          echo: { url: 'http://x', systems: ['erp', 'ghost'] },
          engine: { backoff: { baseMs: 500, capMs: 100 } },
        },
        'f',
        {},
      ),
    );
    assert.deepEqual(cross.map((p) => p.path).sort(), ['echo.systems[1]', 'engine.backoff.capMs']);
  });

  test('YAML errors and duplicate keys carry line and column; a missing file is named', async () => {
    const yamlProblems = problems(() => parseConfigText('server:\n  port: 1\n  port: 2\n', 'dup.yaml', {}));
    assert.match(yamlProblems[0]?.path ?? '', /^dup\.yaml:\d+:\d+$/);
    await assert.rejects(loadConfig({ path: '/nonexistent/ledgerlink.yaml', env: {} }), /file not found/);
    const dir = mkdtempSync(join(tmpdir(), 'll-config-'));
    try {
      const file = join(dir, 'ledgerlink.yaml');
      writeFileSync(file, 'server:\n  port: 8181\n');
      assert.equal((await loadConfig({ env: { LEDGERLINK_CONFIG: file } })).server.port, 8181);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the published JSON Schema is plain JSON Schema that accepts a valid file', () => {
    const schema = configJsonSchema();
    assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
    assert.equal((schema['properties'] as Record<string, unknown>)['engine'] !== undefined, true);
    assert.equal(Value.Check(ConfigFileSchema, { server: { port: 8080 } }), true);
  });
});
