/**
 * The HTTP server every simulator runs on: a small router for the vendor's routes, fault injection in
 * front of them, and the test-only `/_sim/` surface (DESIGN.md section 11): `POST /_sim/faults`,
 * `GET /_sim/faults`, `POST /_sim/reset`, `POST /_sim/seed`, `GET /_sim/documents?reference=&kind=`,
 * `GET /_sim/requests` (requests answered, by method and path shape), `GET /_sim/traces?traceId=`
 * (the requests that carried a W3C traceparent of that trace, by method and path shape).
 * A simulator adds its own `/_sim/` routes (the expense simulator's `POST /_sim/fis/documents`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimDocuments } from './documents.js';
import { FaultState, type FaultSettings } from './faults.js';

export interface SimRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface SimResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
  /** Marks a committed write: `dropAfterCommit` faults drop the answer of such responses. */
  readonly committed?: boolean;
}

export type SimHandler = (request: SimRequest) => SimResponse | Promise<SimResponse>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: SimHandler;
}

export interface SimHooks {
  /** Back to the seeded estate. */
  reset(): void;
  /** Adds or replaces seed data from the request body. */
  seed(body: unknown): void;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, body, headers: { 'content-type': 'application/json', ...headers } };
}

export class SimServer {
  readonly name: string;
  readonly faults = new FaultState();
  readonly documents = new SimDocuments();
  /** Requests answered outside `/_sim/`, by method and path shape (`GET /sap/opu/odata/sap/X/A_Y(…)`). */
  readonly requests = new Map<string, number>();
  /** Requests outside `/_sim/` by the trace ID of their `traceparent`, then by method and path shape. */
  readonly traces = new TraceLog();
  private readonly routes: Route[] = [];
  private readonly hooks: SimHooks;
  private server: Server | undefined;
  private baseUrl = '';

  constructor(name: string, hooks: SimHooks) {
    this.name = name;
    this.hooks = hooks;
  }

  /** `pattern` is a path with `:name` segments; a trailing `*` matches the rest. */
  route(method: string, pattern: string, handler: SimHandler): this {
    const names: string[] = [];
    const source = pattern
      .split('/')
      .map((segment) => {
        if (segment === '*') return '(?<rest>.*)';
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(segment.slice(1));
        return `(?<${segment.slice(1)}>[^/]+)`;
      })
      .join('/');
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  get url(): string {
    return this.baseUrl;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ error: `simulator failure: ${error instanceof Error ? error.message : String(error)}` }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    this.baseUrl = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://simulator');
    const base = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
    };
    const body = Buffer.concat(chunks).toString('utf8');
    if (url.pathname.startsWith('/_sim/')) {
      const builtIn = this.simSurface(base.method, url.pathname, body, url.searchParams);
      if (builtIn !== undefined) return send(res, builtIn);
    } else {
      const key = `${base.method} ${pathShape(url.pathname)}`;
      this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
      this.traces.record(req.headers['traceparent'], key);
      const decision = this.faults.decide(url.pathname);
      if (this.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
      if (decision.kind === 'hang') {
        setTimeout(() => req.socket.destroy(), decision.holdMs).unref();
        return;
      }
      if (decision.kind === 'status') {
        const headers: Record<string, string> =
          decision.retryAfterSeconds === undefined ? {} : { 'retry-after': String(decision.retryAfterSeconds) };
        return send(
          res,
          json(decision.status, { error: { code: `SIM/${decision.status}`, message: 'injected fault' } }, headers),
        );
      }
    }
    for (const route of this.routes) {
      if (route.method !== base.method) continue;
      const match = route.pattern.exec(url.pathname);
      if (match === null) continue;
      const params: Record<string, string> = {};
      for (const [key, value] of Object.entries(match.groups ?? {})) params[key] = decodeURIComponent(value);
      const response = await route.handler({ ...base, params, body });
      if (response.committed === true && this.faults.takeDropAfterCommit(url.pathname)) {
        req.socket.destroy();
        return;
      }
      return send(res, response);
    }
    return send(res, json(404, { error: { code: 'SIM/404', message: `no route ${base.method} ${url.pathname}` } }));
  }

  private simSurface(method: string, path: string, body: string, query: URLSearchParams): SimResponse | undefined {
    if (method === 'POST' && path === '/_sim/faults') {
      this.faults.configure((body.trim() === '' ? {} : JSON.parse(body)) as FaultSettings);
      return json(200, this.faults.describe());
    }
    if (method === 'GET' && path === '/_sim/faults') return json(200, this.faults.describe());
    if (method === 'POST' && path === '/_sim/reset') {
      this.faults.clear();
      this.documents.clear();
      this.requests.clear();
      this.traces.clear();
      this.hooks.reset();
      return json(200, { reset: true });
    }
    if (method === 'POST' && path === '/_sim/seed') {
      this.hooks.seed(body.trim() === '' ? {} : JSON.parse(body));
      return json(200, { seeded: true });
    }
    if (method === 'GET' && path === '/_sim/requests') {
      const byRoute = Object.fromEntries([...this.requests.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
      return json(200, { total: [...this.requests.values()].reduce((sum, n) => sum + n, 0), byRoute });
    }
    if (method === 'GET' && path === '/_sim/traces') {
      const traceId = query.get('traceId');
      if (traceId === null) return json(200, { traces: this.traces.size });
      return json(200, { traceId, byRoute: this.traces.routesOf(traceId.toLowerCase()) });
    }
    if (method === 'GET' && path === '/_sim/documents') {
      return json(200, this.documents.find({ reference: query.get('reference'), kind: query.get('kind') }));
    }
    return undefined;
  }
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}/;
/** Traces kept at most; the oldest are forgotten first (a long benchmark run stays bounded). */
const MAX_TRACES = 10_000;

/** The trace IDs of the traceparents received, each with the routes that carried it. */
export class TraceLog {
  private readonly byTrace = new Map<string, Map<string, number>>();

  record(header: string | string[] | undefined, route: string): void {
    const match = TRACEPARENT.exec((Array.isArray(header) ? header[0] : header)?.trim().toLowerCase() ?? '');
    if (match === null) return;
    const traceId = match[1]!;
    let routes = this.byTrace.get(traceId);
    if (routes === undefined) {
      if (this.byTrace.size >= MAX_TRACES) this.byTrace.delete(this.byTrace.keys().next().value!);
      routes = new Map();
      this.byTrace.set(traceId, routes);
    }
    routes.set(route, (routes.get(route) ?? 0) + 1);
  }

  routesOf(traceId: string): Record<string, number> {
    return Object.fromEntries([...(this.byTrace.get(traceId) ?? new Map<string, number>()).entries()].sort());
  }

  get size(): number {
    return this.byTrace.size;
  }

  clear(): void {
    this.byTrace.clear();
  }
}

/** A path with its keys and ids folded, so requests count per endpoint: `A_X('1')` → `A_X(…)`, `/users/4711` → `/users/:id`. */
export function pathShape(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      const decoded = decodeURIComponent(segment);
      if (decoded.includes('(')) return `${decoded.slice(0, decoded.indexOf('('))}(…)`;
      return /\d/.test(decoded) && /^[\w.-]{4,}$/.test(decoded) && !/^v\d+$/.test(decoded) ? ':id' : decoded;
    })
    .join('/');
}

function send(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string | readonly string[]> = { ...response.headers };
  let payload = '';
  if (response.body !== undefined) {
    payload = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
  }
  res.writeHead(response.status, headers as Record<string, string | string[]>);
  res.end(payload);
}
