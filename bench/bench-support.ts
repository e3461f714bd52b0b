/** Shared pieces of the benchmarks: child servers, autocannon runs, result files. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import autocannon from 'autocannon';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Starts a Node child running a TypeScript entry point; resolves once `readyLine` is printed. */
export async function startChild(
  args: readonly string[],
  readyPattern: RegExp,
  env: NodeJS.ProcessEnv = {},
  nodeFlags: readonly string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeFlags, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LEDGERLINK_LOG_LEVEL: 'warn', ...env },
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (readyPattern.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${output}`)));
  });
  return child;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly accepted: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

export interface LoadOptions {
  readonly url: string;
  readonly seconds: number;
  readonly connections: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
  /** Adds per-request headers (a unique delivery ID, say). */
  readonly perRequestHeaders?: () => Record<string, string>;
}

export async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const headers = { 'content-type': 'application/json', ...options.headers };
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections,
    duration: options.seconds,
    body: options.body,
    headers,
    ...(options.perRequestHeaders === undefined
      ? {}
      : {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => ({
                ...request,
                headers: { ...headers, ...options.perRequestHeaders!() },
              }),
            },
          ],
        }),
  });
  const accepted = result['2xx'];
  return {
    requestsPerSecond: Math.round(accepted / options.seconds),
    accepted,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
  };
}

export function writeResult(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
