/**
 * `ledgerlink audit verify [--db]` — walks the audit hash chain. Prints OK with the row count (exit 0),
 * or names the first row that does not verify (exit 1).
 */
import type { Command } from 'commander';
import { LedgerlinkError } from '../../canonical/errors.js';
import { verifyAudit } from '../../engine/audit-log.js';
import { type CommandIo, EXIT_FAILURE, EXIT_OK } from '../cli-support.js';
import { openExistingStore } from '../session.js';

export interface AuditVerifyOptions {
  readonly db?: string;
}

export async function runAuditVerify(options: AuditVerifyOptions, io: CommandIo): Promise<number> {
  const { store } = await openExistingStore(options.db);
  try {
    const verdict = await verifyAudit(store.db);
    if (verdict.ok) {
      io.out(`OK: audit chain verified, ${verdict.rowsChecked} rows`);
      return EXIT_OK;
    }
    const seq = verdict.firstBad?.seq ?? 0;
    const reason = verdict.firstBad?.reason ?? 'unknown reason';
    const broken = new LedgerlinkError('LL_ERR_AUDIT_CHAIN_BROKEN', `audit row ${seq} does not verify: ${reason}`, {
      details: [{ path: `audit_log.seq=${seq}`, message: reason }],
    });
    io.out(`FAILED: ${broken.message} (${verdict.rowsChecked} rows verified before it) [${broken.code}]`);
    return EXIT_FAILURE;
  } finally {
    await store.close();
  }
}

export function registerAuditCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('verify the audit hash chain; exit 1 at the first bad row')
    .option('--db <location>', 'SQLite path or postgres:// URL (LEDGERLINK_DB)')
    .action(async (options: AuditVerifyOptions) => setExit(await runAuditVerify(options, io)));
}
