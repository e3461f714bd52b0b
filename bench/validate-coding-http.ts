/**
 * Cost of the coding check as the hub serves it: the whole hub (SQLite) against the simulators, master
 * data published by the master data flow into the in-process cache, then
 * - in process: `validateCoding` against the cached index, as the route calls it;
 * - over HTTP: `POST /v1/validate/coding` one request at a time on a keep-alive connection (the
 *   client's own cost included).
 * Prints p50/p99/mean in microseconds as one JSON line and writes bench/results/validate-coding-http.json.
 *
 *   node --import tsx bench/validate-coding-http.ts [inProcessIterations] [httpRequests]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { validateCoding, type CodingInput } from '../src/validation/index.js';
import { startApp } from '../test/api/app-fixture.js';
import { masterDataConfig, waitForMasterDataRuns } from '../test/flows/master-data-helpers.js';
import { startEstate } from '../test/helpers/estate.js';

const inProcessIterations = Number(process.argv[2] ?? 200_000);
const httpRequests = Number(process.argv[3] ?? 5_000);

const inputs: CodingInput[] = [
  { entity: '1010', account: '61003000', costCenter: '10101101', taxCode: 'V1', date: '2025-03-10', currency: 'EUR' },
  { entity: '1010', account: '61009000', costCenter: '10101101', date: '2025-03-10' },
  { entity: '1010', account: '61003000', costCenter: '10101301', date: '2025-03-10' },
  { entity: '1010', account: '61003000', costCenter: '17101101', date: '2025-03-10' },
  {
    entity: '1710',
    account: '63003000',
    costCenter: '17101201',
    project: 'P-1710-0001.1',
    date: '2025-05-02',
    currency: 'USD',
  },
];

function stats(samplesNs: number[]): { p50: number; p99: number; mean: number; n: number } {
  const sorted = [...samplesNs].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const us = (ns: number): number => Math.round(ns / 10) / 100;
  return {
    p50: us(at(0.5)),
    p99: us(at(0.99)),
    mean: us(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    n: sorted.length,
  };
}

function post(agent: Agent, url: URL, token: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/v1/validate/coding',
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const estate = await startEstate();
const fixture = await startApp('sqlite', 'bench-validate', { config: masterDataConfig(estate) });
try {
  await waitForMasterDataRuns(fixture, 0);
  while (fixture.app.masterData.cache.index === undefined) await new Promise((r) => setTimeout(r, 20));
  const index = fixture.app.masterData.cache.index;
  const calendar = fixture.app.masterData.calendar();

  for (let i = 0; i < 20_000; i++) validateCoding(inputs[i % inputs.length]!, index, calendar);
  const inProcess: number[] = [];
  for (let i = 0; i < inProcessIterations; i++) {
    const input = inputs[i % inputs.length]!;
    const start = process.hrtime.bigint();
    validateCoding(input, index, calendar);
    inProcess.push(Number(process.hrtime.bigint() - start));
  }

  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(fixture.url);
  const bodies = inputs.map((i) => JSON.stringify(i));
  for (let i = 0; i < 500; i++) await post(agent, url, fixture.adminToken, bodies[i % bodies.length]!);
  const overHttp: number[] = [];
  for (let i = 0; i < httpRequests; i++) {
    const start = process.hrtime.bigint();
    const status = await post(agent, url, fixture.adminToken, bodies[i % bodies.length]!);
    overHttp.push(Number(process.hrtime.bigint() - start));
    if (status !== 200) throw new Error(`POST /v1/validate/coding answered ${status}`);
  }
  agent.destroy();

  const result = {
    name: 'validate-coding-http',
    at: new Date().toISOString(),
    node: process.version,
    estate: fixture.app.masterData.cache.status.size,
    inProcessMicros: stats(inProcess),
    httpMicros: stats(overHttp),
  };
  const line = JSON.stringify(result);
  console.log(line);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('./results/validate-coding-http.json', import.meta.url),
    `${JSON.stringify(result, null, 2)}\n`,
  );
} finally {
  await fixture.close();
  await estate.stop();
}
