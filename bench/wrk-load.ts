/**
 * Load from wrk (Debian package `wrk`), when installed: written in C, it takes far less CPU than a
 * JavaScript generator on the same two cores, so the figures measure the server rather than the
 * client. Every request carries a fresh `webhook-id`, so each one is a new event.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runAutocannon, type LoadOptions, type LoadResult } from './bench-support.js';

const run = promisify(execFile);

export async function wrkAvailable(): Promise<boolean> {
  try {
    await run('wrk', ['--version']).catch((error: { stdout?: string }) => {
      if (typeof error.stdout === 'string' && error.stdout.includes('wrk')) return;
      throw error;
    });
    return true;
  } catch {
    return false;
  }
}

function luaString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function script(options: LoadOptions): string {
  const headers = Object.entries({ 'content-type': 'application/json', ...options.headers })
    .map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`)
    .join('\n');
  const unique = options.perRequestHeaders === undefined ? '' : 'wrk.headers["webhook-id"] = prefix .. counter';
  return `wrk.method = "POST"
wrk.body = ${luaString(options.body)}
${headers}
local counter = 0
local prefix = "msg_" .. tostring(os.time()) .. "_" .. tostring(math.random(1, 2000000000)) .. "_"
request = function()
  counter = counter + 1
  ${unique}
  return wrk.format()
end
done = function(summary, latency, requests)
  io.write(string.format("LL_RESULT %d %d %d %d %.3f %.3f\\n", summary.requests, 0,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
`;
}

export async function runWrk(options: LoadOptions): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'll-wrk-'));
  const path = join(dir, 'post.lua');
  writeFileSync(path, script(options));
  try {
    const { stdout } = await run(
      'wrk',
      ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '-s', path, options.url],
      {
        maxBuffer: 1 << 20,
      },
    );
    const match = /LL_RESULT (\d+) \d+ (\d+) (\d+) ([\d.]+) ([\d.]+)/.exec(stdout);
    if (match === null) throw new Error(`unexpected wrk output:\n${stdout}`);
    const [, requests, errors, non2xx, p50, p99] = match;
    const accepted = Number(requests) - Number(non2xx);
    return {
      requestsPerSecond: Math.round(accepted / options.seconds),
      accepted,
      errors: Number(errors),
      non2xx: Number(non2xx),
      latencyP50Ms: Number(p50),
      latencyP99Ms: Number(p99),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type LoadGenerator = 'wrk' | 'autocannon';

/** wrk when installed, otherwise autocannon from this process; the name goes into the results. */
export async function chooseLoadGenerator(): Promise<{
  readonly name: LoadGenerator;
  readonly run: (options: LoadOptions) => Promise<LoadResult>;
}> {
  const name: LoadGenerator = (await wrkAvailable()) ? 'wrk' : 'autocannon';
  return { name, run: (options) => (name === 'wrk' ? runWrk(options) : runAutocannon(options)) };
}

let delivery = 0;
/** A fresh `webhook-id` per request, so that each one is a new event. */
export const uniqueDelivery = (): Record<string, string> => ({ 'webhook-id': `msg_${process.pid}_${++delivery}` });
