/**
 * `ledgerlink connectors check`: each configured tenant checked, read only, against the facts its
 * connector relies on — against the simulators every fact holds (exit 0); a directory that answers
 * outside RFC 7644 is reported with what differs (exit 1).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { runConnectorsCheck } from '../../src/cli/commands/connectors-check.js';
import { sendJson, startTestServer, type LocalTestServer } from '../../src/connectors/http/local-test-server.js';
import { ODATA_SERVICE_FACTS } from '../../src/connectors/sap-s4hana/contract-facts/index.js';
import { metadataDocument } from '../../src/connectors/sap-s4hana/simulator/metadata-document.js';
import { startEstate, type Estate } from '../helpers/estate.js';

function capture(): { io: { out(line: string): void; err(line: string): void }; lines: string[] } {
  const lines: string[] = [];
  return { io: { out: (line) => lines.push(line), err: (line) => lines.push(line) }, lines };
}

describe('connectors check', () => {
  let estate: Estate;
  let dir: string;
  let broken: LocalTestServer;

  before(async () => {
    estate = await startEstate();
    dir = mkdtempSync(join(tmpdir(), 'll-connectors-check-'));
    broken = await startTestServer((req, res) => {
      if (req.url?.startsWith('/ServiceProviderConfig') === true) sendJson(res, 200, { filter: { supported: false } });
      else sendJson(res, 200, { totalResults: 'many', Resources: [] });
    });
  });

  after(async () => {
    await estate.stop();
    await broken.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const configFile = (systems: Record<string, unknown>): string => {
    const file = join(dir, `ledgerlink-${Object.keys(systems).join('-')}-${Date.now()}.yaml`);
    writeFileSync(file, stringify({ systems }));
    return file;
  };

  test('against the directory simulator every fact holds: exit 0, one line per finding', async () => {
    const { io, lines } = capture();
    const config = configFile({ directory: estate.systems['directory'] });
    assert.equal(await runConnectorsCheck({ config }, io), 0);
    assert.match(lines[0]!, /^directory \(scim, directory\): OK$/);
    assert.ok(lines.some((l) => l.includes('ok   GET ServiceProviderConfig')));
    assert.ok(lines.some((l) => l.includes('ok   GET Users?filter=employeeNumber eq: finds the user')));
  });

  test('--json gives one line with every system and its findings', async () => {
    const { io, lines } = capture();
    const config = configFile({ directory: estate.systems['directory'] });
    assert.equal(await runConnectorsCheck({ config, json: true }, io), 0);
    const report = JSON.parse(lines[0]!) as { ok: boolean; systems: { system: string; findings: { ok: boolean }[] }[] };
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.systems.map((s) => s.system),
      ['directory'],
    );
    assert.ok(report.systems[0]!.findings.length >= 3);
  });

  test('a directory answering outside RFC 7644 is a difference, named: exit 1', async () => {
    const { io, lines } = capture();
    const directory = { ...(estate.systems['directory'] as Record<string, unknown>), baseUrl: broken.origin };
    const config = configFile({ directory });
    assert.equal(await runConnectorsCheck({ config }, io), 1);
    assert.match(lines[0]!, /^directory \(scim, directory\): 2 difference\(s\)$/);
    assert.ok(
      lines.some((l) => l.startsWith('  DIFF GET ServiceProviderConfig') && l.includes('ServiceProviderConfig')),
    );
    assert.ok(lines.some((l) => l.startsWith('  DIFF GET Users: a ListResponse page') && l.includes('totalResults')));
    assert.ok(
      broken.requests.every((r) => r.method === 'GET'),
      'the check only reads',
    );
  });

  test('against the expense simulator the token and a FIS page hold: exit 0', async () => {
    const { io, lines } = capture();
    const config = configFile({ expense: estate.systems['expense'] });
    assert.equal(await runConnectorsCheck({ config }, io), 0);
    assert.match(lines[0]!, /^expense \(concur, expense\): OK$/);
    assert.ok(lines.some((l) => l.includes('ok   GET FIS expense transactions: one page in the published shape')));
  });

  test('a Concur answering outside the published shapes is a difference per fact: exit 1', async () => {
    const concur = await startTestServer((req, res) => {
      if (req.url?.startsWith('/oauth2/v0/token') === true)
        sendJson(res, 200, { access_token: 'a', token_type: 'Bearer', expires_in: '3600', scope: 'openid' });
      else sendJson(res, 200, { content: [{ id: 'd1', docStatus: 'DONE', document: '{}', extra: 1 }], links: [] });
    });
    try {
      const { io, lines } = capture();
      const expense = { ...(estate.systems['expense'] as Record<string, unknown>), baseUrl: concur.origin };
      assert.equal(await runConnectorsCheck({ config: configFile({ expense }) }, io), 1);
      const diff = (check: string) => lines.find((l) => l.startsWith(`  DIFF ${check}`)) ?? '';
      assert.match(diff('token: answer with geolocation'), /no geolocation.*scope lacks FISVC/);
      assert.match(diff('token: list item scopes'), /spend\.listitem\.read/);
      assert.match(
        diff('GET FIS expense transactions'),
        /no page object.*unpublished document fields extra.*docStatus DONE/,
      );
      assert.ok(
        concur.requests.every((r) => r.method === 'GET' || r.url.startsWith('/oauth2/')),
        'only reads and the token',
      );
    } finally {
      await concur.close();
    }
  });

  test('against the ERP simulator the $metadata of every service the connector calls holds: exit 0', async () => {
    const { io, lines } = capture();
    assert.equal(await runConnectorsCheck({ config: configFile({ erp: estate.systems['erp'] }) }, io), 0);
    assert.match(lines[0]!, /^erp \(sap-s4hana, erp\): OK$/);
    for (const service of Object.keys(ODATA_SERVICE_FACTS))
      assert.ok(
        lines.some((l) => l.startsWith(`  ok   $metadata ${service}`)),
        service,
      );
  });

  test('an ERP whose metadata shortens a field the connector writes is a difference naming the field: exit 1', async () => {
    const erp = await startTestServer((req, res) => {
      const service = Object.keys(ODATA_SERVICE_FACTS).find((s) => req.url?.includes(`/${s}/$metadata`) === true);
      const facts = service === undefined ? undefined : ODATA_SERVICE_FACTS[service];
      if (facts === undefined) return sendJson(res, 404, {});
      const xml = metadataDocument(facts).replace(
        'Name="SupplierInvoiceIDByInvcgParty" Type="Edm.String" MaxLength="16"',
        'Name="SupplierInvoiceIDByInvcgParty" Type="Edm.String" MaxLength="12"',
      );
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(xml);
    });
    try {
      const { io, lines } = capture();
      const config = configFile({
        erp: { ...(estate.systems['erp'] as Record<string, unknown>), baseUrl: erp.origin },
      });
      assert.equal(await runConnectorsCheck({ config }, io), 1);
      assert.match(lines[0]!, /^erp \(sap-s4hana, erp\): 1 difference\(s\)$/);
      const diff = lines.find((l) => l.startsWith('  DIFF $metadata API_SUPPLIERINVOICE_PROCESS_SRV')) ?? '';
      assert.match(diff, /A_SupplierInvoice\.SupplierInvoiceIDByInvcgParty: .*"maxLength":12/);
      assert.ok(
        erp.requests.every((r) => r.method === 'GET'),
        'the check only reads',
      );
    } finally {
      await erp.close();
    }
  });

  test('the whole estate against its simulators: every system OK, exit 0', async () => {
    const { io, lines } = capture();
    assert.equal(await runConnectorsCheck({ config: configFile(estate.systems) }, io), 0, lines.join('\n'));
    for (const system of ['erp', 'procurement', 'expense', 'directory'])
      assert.ok(
        lines.some((l) => l.startsWith(`${system} (`) && l.endsWith(': OK')),
        system,
      );
  });

  test('a Coupa granting fewer scopes and answering invoices outside the R39 model is a difference: exit 1', async () => {
    const coupa = await startTestServer((req, res) => {
      if (req.url?.startsWith('/oauth2/token') === true)
        return sendJson(res, 200, {
          access_token: 'a',
          token_type: 'bearer',
          expires_in: 3600,
          scope: 'core.invoice.read',
        });
      if (req.url?.startsWith('/api/invoices') === true)
        return sendJson(res, 200, [{ id: 7, 'invoice-number': 'RE-1', status: 'fancy', exported: 'no' }]);
      return sendJson(res, 200, []);
    });
    try {
      const { io, lines } = capture();
      const procurement = { ...(estate.systems['procurement'] as Record<string, unknown>), baseUrl: coupa.origin };
      assert.equal(await runConnectorsCheck({ config: configFile({ procurement }) }, io), 1);
      assert.match(lines.find((l) => l.startsWith('  DIFF token')) ?? '', /not granted: .*core\.invoice\.write/);
      const invoices = lines.find((l) => l.startsWith('  DIFF GET /invoices?limit=1')) ?? '';
      assert.match(invoices, /status is fancy, not one of/);
      assert.match(invoices, /exported is not boolean/);
      assert.ok(
        coupa.requests.every((r) => r.method === 'GET' || r.url.startsWith('/oauth2/')),
        'only reads and the token',
      );
    } finally {
      await coupa.close();
    }
  });

  test('an unknown --system is a usage error', async () => {
    const { io } = capture();
    const config = configFile({ directory: estate.systems['directory'] });
    await assert.rejects(runConnectorsCheck({ config, system: 'mainframe' }, io), /No system mainframe/);
  });
});
