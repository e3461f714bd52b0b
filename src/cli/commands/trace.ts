/**
 * `ledgerlink trace ID [--json]` — the chain of one document as a readable timeline (time, kind, what,
 * status). ID is a correlation ID or an effect idempotency key; `--system S --document D` finds it by
 * the document instead. Exit 1 when nothing is recorded.
 */
import type { Command } from 'commander';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CommandIo } from '../cli-support.js';
import { withEngine, type SessionOptions } from '../session.js';

interface TraceOptions extends SessionOptions {
  readonly json?: boolean;
  readonly system?: string;
  readonly document?: string;
}

export function registerTraceCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  program
    .command('trace [id]')
    .description('the whole chain of one document: events, runs, steps, writes, exceptions, actions')
    .option('--db <location>', 'SQLite path or postgres:// URL (LEDGERLINK_DB)')
    .option('--config <file>', 'configuration file (LEDGERLINK_CONFIG)')
    .option('--system <system>', 'with --document: the document’s system')
    .option('--document <id>', 'find the trace by document id instead of correlation ID')
    .option('--json', 'one JSON document')
    .action(async (id: string | undefined, options: TraceOptions) => {
      if (id === undefined && options.document === undefined)
        throw new UsageError('trace needs a correlation ID (or --document)');
      const trace = await withEngine(options, async (engine) => {
        const correlationId =
          id === undefined
            ? await engine.findCorrelationId({
                documentId: options.document!,
                ...(options.system === undefined ? {} : { system: options.system }),
              })
            : (await engine.businessTrace(id)) === undefined
              ? await engine.findCorrelationId({ idempotencyKey: id })
              : id;
        return correlationId === undefined ? undefined : engine.businessTrace(correlationId);
      });
      if (trace === undefined) {
        io.err(`error: nothing recorded for ${id ?? options.document ?? ''} [LL_ERR_NOT_FOUND]`);
        setExit(EXIT_FAILURE);
        return;
      }
      if (options.json === true) {
        io.out(JSON.stringify(trace));
        setExit(EXIT_OK);
        return;
      }
      const source = trace.source;
      io.out(
        `correlation ${trace.correlationId}${source === null ? '' : `  source ${source.system} ${source.documentId ?? '(event)'}${source.version === null ? '' : ` v${source.version}`}`}`,
      );
      for (const entry of trace.entries) io.out(`${entry.at}  ${entry.kind.padEnd(9)} ${entry.summary}`);
      for (const doc of trace.erpDocuments)
        io.out(`document  ${doc.system} ${doc.remoteId ?? ''} (key ${doc.idempotencyKey})`);
      for (const payment of trace.payments)
        io.out(
          `payment   ${payment.documentId} ${payment.status}${payment.paidAt === null ? '' : ` ${payment.paidAt}`}`,
        );
      if (trace.mappingVersions.length > 0) io.out(`mapping   ${trace.mappingVersions.join(', ')}`);
      setExit(EXIT_OK);
    });
}
