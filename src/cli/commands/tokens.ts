/**
 * `ledgerlink tokens create|list|revoke|rotate` — API tokens in the store (`--db` / LEDGERLINK_DB).
 * A secret is printed once, by create and rotate, and never again: list shows status, roles, expiry
 * and last use, never a secret or a hash. Every change is written to the audit log in the same
 * transaction, with actor `cli:<os user>`. `--json` prints one JSON object (or array) for scripts.
 */
import type { Command } from 'commander';
import { appendAudit } from '../../engine/audit-log.js';
import { isRole, STATIC_ROLES, TokenStore, tokenStatus, type TokenRecord } from '../../security/api-tokens.js';
import type { Store, Tx } from '../../store/port.js';
import { type CommandIo, EXIT_OK, UsageError } from '../cli-support.js';
import { cliActor, withExistingStore } from '../session.js';

interface StoreOption {
  readonly db?: string;
  readonly json?: boolean;
}

export interface TokensCreateOptions extends StoreOption {
  readonly name: string;
  readonly role: readonly string[];
  readonly expiresIn?: string;
}

export interface TokensRotateOptions extends StoreOption {
  readonly overlap?: string;
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
export const DEFAULT_ROTATION_OVERLAP = '24h';

/** `30d`, `24h`, `90m`, `45s`, `2w`, or `0` → milliseconds; a UsageError otherwise. */
export function parseDuration(text: string, option: string): number {
  if (text === '0') return 0;
  const match = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (match === null) throw new UsageError(`${option} must be a duration like 30d, 24h, 90m or 0, not "${text}"`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

async function withTokenStore<T>(
  options: StoreOption,
  run: (store: Store, tokens: TokenStore) => Promise<T>,
): Promise<T> {
  return withExistingStore(options.db, (store) => run(store, new TokenStore(store)));
}

const auditIn =
  (store: Store, action: string, data: (record: TokenRecord) => Record<string, unknown>) =>
  async (tx: Tx, record: TokenRecord): Promise<void> => {
    await appendAudit(tx, store.dialect, {
      actor: cliActor(),
      action,
      subject: record.id,
      data: data(record),
      at: Date.now(),
    });
  };

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function listed(record: TokenRecord, now: number): Record<string, unknown> {
  return {
    id: record.id,
    name: record.name,
    status: tokenStatus(record, now),
    roles: record.roles,
    expiresAt: iso(record.expiresAt),
    revokedAt: iso(record.revokedAt),
    createdAt: iso(record.createdAt),
    lastUsedAt: iso(record.lastUsedAt),
  };
}

export async function runTokensCreate(options: TokensCreateOptions, io: CommandIo): Promise<number> {
  if (options.role.length === 0) throw new UsageError('a token needs at least one --role');
  const unknownRole = options.role.find((role) => !isRole(role));
  if (unknownRole !== undefined)
    throw new UsageError(
      `unknown role "${unknownRole}"; expected ${STATIC_ROLES.join(', ')}, service:<system> or agent:<name>`,
    );
  const expiresIn = options.expiresIn === undefined ? undefined : parseDuration(options.expiresIn, '--expires-in');
  if (expiresIn === 0) throw new UsageError('--expires-in must be longer than 0');
  const issued = await withTokenStore(options, (store, tokens) =>
    tokens.create(
      { name: options.name, roles: options.role, expiresAt: expiresIn === undefined ? null : Date.now() + expiresIn },
      {
        inTransaction: (tx, result) =>
          auditIn(store, 'token.created', (r) => ({ name: r.name, roles: r.roles, expiresAt: r.expiresAt }))(
            tx,
            result.record,
          ),
      },
    ),
  );
  const { record } = issued;
  if (options.json === true) {
    io.out(
      JSON.stringify({
        id: record.id,
        name: record.name,
        roles: record.roles,
        expiresAt: iso(record.expiresAt),
        secret: issued.secret,
      }),
    );
    return EXIT_OK;
  }
  io.out(
    `Created token ${record.id} "${record.name}" with roles ${record.roles.join(', ')}, ${record.expiresAt === null ? 'no expiry' : `expires ${iso(record.expiresAt)}`}.`,
  );
  io.out('The secret is shown this once; keep it safe:');
  io.out(issued.secret);
  return EXIT_OK;
}

export async function runTokensList(options: StoreOption, io: CommandIo): Promise<number> {
  const records = await withTokenStore(options, (_store, tokens) => tokens.list());
  const now = Date.now();
  const rows = records.map((r) => listed(r, now));
  if (options.json === true) {
    io.out(JSON.stringify(rows));
    return EXIT_OK;
  }
  if (rows.length === 0) {
    io.out('No tokens. Create one with: ledgerlink tokens create --name NAME --role ROLE');
    return EXIT_OK;
  }
  const table = [['ID', 'NAME', 'STATUS', 'ROLES', 'EXPIRES', 'LAST USED']].concat(
    rows.map((r) => [
      String(r['id']),
      String(r['name']),
      String(r['status']),
      (r['roles'] as string[]).join(','),
      String(r['expiresAt'] ?? '-'),
      String(r['lastUsedAt'] ?? 'never'),
    ]),
  );
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table)
    io.out(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
  return EXIT_OK;
}

export async function runTokensRevoke(id: string, options: StoreOption, io: CommandIo): Promise<number> {
  const record = await withTokenStore(options, (store, tokens) =>
    tokens.revoke(id, { inTransaction: auditIn(store, 'token.revoked', (r) => ({ name: r.name })) }),
  );
  if (options.json === true) io.out(JSON.stringify(listed(record, Date.now())));
  else
    io.out(
      `Revoked token ${record.id} "${record.name}" at ${iso(record.revokedAt)}; running servers refuse it within a few seconds.`,
    );
  return EXIT_OK;
}

export async function runTokensRotate(id: string, options: TokensRotateOptions, io: CommandIo): Promise<number> {
  const overlapMs = parseDuration(options.overlap ?? DEFAULT_ROTATION_OVERLAP, '--overlap');
  const rotated = await withTokenStore(options, (store, tokens) =>
    tokens.rotate(
      id,
      { overlapMs },
      {
        inTransaction: (tx, result) =>
          auditIn(store, 'token.rotated', (r) => ({
            name: r.name,
            previous: result.previous.id,
            overlapMs,
            previousExpiresAt: result.previous.expiresAt,
          }))(tx, result.record),
      },
    ),
  );
  const { record, previous } = rotated;
  if (options.json === true) {
    io.out(
      JSON.stringify({
        id: record.id,
        name: record.name,
        roles: record.roles,
        expiresAt: iso(record.expiresAt),
        secret: rotated.secret,
        previous: listed(previous, Date.now()),
      }),
    );
    return EXIT_OK;
  }
  const until = previous.revokedAt !== null ? 'is revoked now' : `keeps working until ${iso(previous.expiresAt)}`;
  io.out(`Rotated token ${previous.id} "${record.name}": the new token is ${record.id}; the old one ${until}.`);
  io.out('The new secret is shown this once; keep it safe:');
  io.out(rotated.secret);
  return EXIT_OK;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerTokensCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  const tokens = program.command('tokens').description('API tokens: create, list, revoke, rotate');
  const dbOption = ['--db <location>', 'SQLite path or postgres:// URL (LEDGERLINK_DB)'] as const;
  tokens
    .command('create')
    .description('issue a token; its secret is printed once')
    .requiredOption('--name <name>', 'who or what the token is for')
    .option(
      '--role <role>',
      'admin, operator, auditor, mapping-author, mapping-approver, service:<system> or agent:<name>; repeatable, at least one',
      collect,
      [],
    )
    .option('--expires-in <duration>', 'lifetime, e.g. 30d, 12h (default: no expiry)')
    .option(...dbOption)
    .option('--json', 'print JSON')
    .action(async (options: TokensCreateOptions) => setExit(await runTokensCreate(options, io)));
  tokens
    .command('list')
    .description('every token with status, roles, expiry and last use (never the secret)')
    .option(...dbOption)
    .option('--json', 'print JSON')
    .action(async (options: StoreOption) => setExit(await runTokensList(options, io)));
  tokens
    .command('revoke <id>')
    .description('revoke a token at once')
    .option(...dbOption)
    .option('--json', 'print JSON')
    .action(async (id: string, options: StoreOption) => setExit(await runTokensRevoke(id, options, io)));
  tokens
    .command('rotate <id>')
    .description('issue a successor; the old token keeps working for the overlap')
    .option('--overlap <duration>', 'how long the old token keeps working, e.g. 24h, or 0', DEFAULT_ROTATION_OVERLAP)
    .option(...dbOption)
    .option('--json', 'print JSON')
    .action(async (id: string, options: TokensRotateOptions) => setExit(await runTokensRotate(id, options, io)));
}
