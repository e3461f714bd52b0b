/**
 * A running Ledgerlink app over real HTTP (port 0) on a fresh database of either kind, with the echo
 * flow pointed at a counting sink when asked for. Silent logs, fast worker settings.
 */
import { createApp, type LedgerlinkApp, type Role } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { TokenStore } from '../../src/security/api-tokens.js';
import { CountingSink } from '../helpers/counting-sink.js';
import { createTestDatabase, type StoreKind, type TestDatabase } from '../helpers/stores.js';

export interface AppFixture {
  readonly app: LedgerlinkApp;
  readonly url: string;
  readonly database: TestDatabase;
  readonly sink: CountingSink | undefined;
  /** A token with the admin role, issued in the app's store. */
  readonly adminToken: string;
  /** `{ authorization: 'Bearer …' }` for the admin token. */
  readonly auth: Readonly<Record<string, string>>;
  /** Issues a token with these roles (e.g. ['operator'], ['service:expense']). */
  tokenFor(roles: readonly string[], name?: string): Promise<string>;
  close(): Promise<void>;
}

export interface AppFixtureOptions {
  readonly role?: Role;
  readonly echo?: boolean;
  /** Extra config file content (merged over the defaults below). */
  readonly config?: Record<string, unknown>;
  /** Runs after the app is built and before it starts (e.g. to add a server hook). */
  readonly beforeStart?: (app: LedgerlinkApp) => void | Promise<void>;
}

export async function startApp(kind: StoreKind, label: string, options: AppFixtureOptions = {}): Promise<AppFixture> {
  const database = await createTestDatabase(kind, label);
  let sink: CountingSink | undefined;
  const file: Record<string, unknown> = {
    engine: { pollIntervalMs: 20, leaseMs: 5_000, maxAttempts: 4, backoff: { baseMs: 10, capMs: 50 } },
    server: { shutdownGraceMs: 2_000 },
    ...options.config,
  };
  if (options.echo === true) {
    sink = new CountingSink();
    // Echo settings given in `config` (e.g. `systems`) are kept; the URL is the sink's.
    file['echo'] = { ...(options.config?.['echo'] as Record<string, unknown> | undefined), url: await sink.start() };
  }
  const config = resolveConfig(file, 'test', {});
  const app = await createApp({
    db: database.location,
    config,
    role: options.role ?? 'all',
    logger: createLogger({ level: 'silent' }),
    runtimeMetrics: false,
  });
  await options.beforeStart?.(app);
  const { url } = await app.start({ port: 0, host: '127.0.0.1' });
  if (url === undefined) throw new Error('the app did not listen');
  const tokens = new TokenStore(app.store);
  const tokenFor = async (roles: readonly string[], name = `test-${roles.join('-')}`): Promise<string> =>
    (await tokens.create({ name, roles })).secret;
  const adminToken = await tokenFor(['admin'], 'test-admin');
  return {
    app,
    url,
    database,
    sink,
    adminToken,
    auth: { authorization: `Bearer ${adminToken}` },
    tokenFor,
    close: async () => {
      await app.stop();
      await sink?.stop();
      await database.drop();
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function postEvent(
  base: string,
  system: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return request(`${base}/v1/events/${system}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

/** The error code of a `{ error: { code } }` answer. */
export function errorCode(answer: Answer): string | undefined {
  return (answer.json as { error?: { code?: string } } | undefined)?.error?.code;
}
