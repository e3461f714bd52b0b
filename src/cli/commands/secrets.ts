/**
 * `ledgerlink secrets set NAME` (the value from standard input, never from the command line),
 * `secrets list` (names, key ids, dates; never values) and `secrets delete NAME`, over the encrypted
 * secret store. Writes are audited with the actor `cli:<os user>`; the value is never printed or logged.
 */
import type { Command } from 'commander';
import { SecretStore } from '../../security/secret-store.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CommandIo } from '../cli-support.js';
import { readStdin } from '../cli-support.js';
import { cliActor, openProtectedStore, requireKeyring, type SessionOptions } from '../session.js';

export interface SecretsSetOptions extends SessionOptions {
  /** Reads the value; standard input by default. */
  readonly readValue?: () => Promise<string>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export async function runSecretsSet(name: string, options: SecretsSetOptions, io: CommandIo): Promise<number> {
  const { store, keyring } = await openProtectedStore(options);
  try {
    const secrets = new SecretStore(store, requireKeyring(keyring));
    if (options.readValue === undefined && process.stdin.isTTY)
      io.err('Reading the value from standard input; end it with Ctrl-D.');
    const value = await (options.readValue ?? readStdin)();
    if (value === '')
      throw new UsageError(
        'the secret value is empty: pipe it on standard input, e.g. printf %s "$VALUE" | ledgerlink secrets set NAME',
      );
    const record = await secrets.set(name, value, { actor: cliActor() });
    io.out(`Secret ${record.name} ${record.created ? 'created' : 'replaced'} (master key ${record.keyId})`);
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

export async function runSecretsList(options: SessionOptions, io: CommandIo): Promise<number> {
  const { store, keyring } = await openProtectedStore(options);
  try {
    const list = await new SecretStore(store, keyring).list();
    if (list.length === 0) {
      io.out('No secrets stored');
      return EXIT_OK;
    }
    const width = Math.max(4, ...list.map((s) => s.name.length));
    const keyWidth = Math.max(3, ...list.map((s) => s.keyId.length));
    io.out(`${'NAME'.padEnd(width)}  ${'KEY'.padEnd(keyWidth)}  CREATED                   UPDATED`);
    for (const s of list)
      io.out(`${s.name.padEnd(width)}  ${s.keyId.padEnd(keyWidth)}  ${iso(s.createdAt)}  ${iso(s.updatedAt)}`);
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

export async function runSecretsDelete(name: string, options: SessionOptions, io: CommandIo): Promise<number> {
  const { store, keyring } = await openProtectedStore(options);
  try {
    const deleted = await new SecretStore(store, keyring).delete(name, { actor: cliActor() });
    if (!deleted) {
      io.err(`error: no secret named ${name}`);
      return EXIT_FAILURE;
    }
    io.out(`Secret ${name} deleted`);
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

export function registerSecretsCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  const secrets = program
    .command('secrets')
    .description('the encrypted secret store for connector credentials and webhook secrets');
  const common = (command: Command): Command =>
    command
      .option('--db <location>', 'SQLite path or postgres:// URL (LEDGERLINK_DB)')
      .option('--config <file>', 'configuration file naming the master key file (LEDGERLINK_CONFIG)');
  common(secrets.command('set <name>').description('store a secret; the value is read from standard input')).action(
    async (name: string, options: SessionOptions) => setExit(await runSecretsSet(name, options, io)),
  );
  common(secrets.command('list').description('list secrets: names, master key ids, dates (never values)')).action(
    async (options: SessionOptions) => setExit(await runSecretsList(options, io)),
  );
  common(secrets.command('delete <name>').description('delete a secret')).action(
    async (name: string, options: SessionOptions) => setExit(await runSecretsDelete(name, options, io)),
  );
}
