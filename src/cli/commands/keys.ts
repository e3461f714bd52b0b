/**
 * `ledgerlink keys rotate [--to KEYID]` re-wraps the data key of every secret and every encrypted
 * payload under the current master key (or the one named), in batches; running it again after an
 * interruption continues where it stopped. `ledgerlink keys status` counts the records under each
 * key id. The rotation is audited with the actor `cli:<os user>`.
 */
import type { Command } from 'commander';
import { masterKeyStatus, rotateMasterKey } from '../../security/key-rotation.js';
import { EXIT_OK, UsageError, type CommandIo } from '../cli-support.js';
import { cliActor, openProtectedStore, requireKeyring, type SessionOptions } from '../session.js';

export interface KeysRotateOptions extends SessionOptions {
  readonly to?: string;
  readonly batchSize?: string;
}

function parseBatchSize(value: string | undefined): number {
  if (value === undefined) return 200;
  const n = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--batch-size must be a positive integer, not "${value}"`);
  return n;
}

export async function runKeysRotate(options: KeysRotateOptions, io: CommandIo): Promise<number> {
  const batchSize = parseBatchSize(options.batchSize);
  const { store, keyring } = await openProtectedStore(options);
  try {
    const ring = requireKeyring(keyring);
    const to = options.to ?? ring.currentKeyId;
    io.out(`Re-wrapping every encrypted record under master key ${to} (keys in the ring: ${ring.keyIds.join(', ')})`);
    const report = await rotateMasterKey(store, ring, {
      to,
      batchSize,
      actor: cliActor(),
      onBatch: (where, count) => io.out(`  ${where}: ${count} re-wrapped`),
    });
    const total = Object.values(report.rewrapped).reduce((sum, n) => sum + n, 0);
    io.out(
      `Done: ${total} records re-wrapped under ${report.to}${report.changedMeanwhile > 0 ? `; ${report.changedMeanwhile} changed meanwhile (run again to finish them)` : ''}`,
    );
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

export async function runKeysStatus(options: SessionOptions, io: CommandIo): Promise<number> {
  const { store, keyring } = await openProtectedStore(options);
  try {
    const status = await masterKeyStatus(store);
    io.out(
      keyring === undefined
        ? 'No master key configured'
        : `Current master key: ${keyring.currentKeyId} (keys in the ring: ${keyring.keyIds.join(', ')})`,
    );
    const totals = new Map<string, number>();
    for (const [where, counts] of Object.entries(status)) {
      const parts = Object.entries(counts).map(([keyId, n]) => `${keyId} ${n}`);
      io.out(`  ${where.padEnd(22)} ${parts.length === 0 ? 'no records' : parts.join(', ')}`);
      for (const [keyId, n] of Object.entries(counts)) totals.set(keyId, (totals.get(keyId) ?? 0) + n);
    }
    io.out(
      `Records by key: ${totals.size === 0 ? 'none' : [...totals].map(([keyId, n]) => `${keyId} ${n}`).join(', ')}`,
    );
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

export function registerKeysCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  const keys = program.command('keys').description('master keys for encryption at rest');
  const common = (command: Command): Command =>
    command
      .option('--db <location>', 'SQLite path or postgres:// URL (LEDGERLINK_DB)')
      .option('--config <file>', 'configuration file naming the master key file (LEDGERLINK_CONFIG)');
  common(
    keys.command('rotate').description('re-wrap every encrypted record under the current master key (or --to KEYID)'),
  )
    .option('--to <keyId>', 'the master key to wrap under (must be in the keyring; default the current key)')
    .option('--batch-size <n>', 'records per transaction (default 200)')
    .action(async (options: KeysRotateOptions) => setExit(await runKeysRotate(options, io)));
  common(keys.command('status').description('count the encrypted records under each master key id')).action(
    async (options: SessionOptions) => setExit(await runKeysStatus(options, io)),
  );
}
