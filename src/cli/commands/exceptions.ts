/**
 * `ledgerlink exceptions list|retry|replay|resolve|ignore` — the exception queue from the command line,
 * with the engine's own actions (audited as `cli:<os user>`). Actions take exception IDs, or a filter
 * (the list's filter options) for a bulk action; `--dry-run` shows what a filter matches. Exit 1 when
 * any item failed.
 */
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { parseStrictJson } from '../../canonical/strict-json.js';
import type { ExceptionActionName, ReplayOptions } from '../../engine/exceptions/actions.js';
import type { ExceptionFilter, ExceptionItem } from '../../engine/exceptions/queries.js';
import { exceptionClasses } from '../../engine/exceptions/classification.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CommandIo } from '../cli-support.js';
import { cliActor, withEngine, type SessionOptions } from '../session.js';

interface FilterOptions extends SessionOptions {
  readonly process?: string;
  readonly class?: string;
  readonly owner?: string;
  readonly entity?: string;
  readonly status?: string;
  readonly olderThanMinutes?: string;
  readonly system?: string;
  readonly code?: string;
}

interface ListOptions extends FilterOptions {
  readonly json?: boolean;
  readonly limit?: string;
  readonly cursor?: string;
}

interface ActionOptions extends FilterOptions {
  readonly dryRun?: boolean;
  readonly reason?: string;
  readonly from?: 'failed-step' | 'start';
  readonly mapping?: 'same' | 'current';
  readonly payloadFile?: string;
  readonly json?: boolean;
}

function filterOf(options: FilterOptions): ExceptionFilter {
  const filter: Record<string, unknown> = {};
  for (const key of ['process', 'class', 'owner', 'entity', 'status', 'system', 'code'] as const)
    if (options[key] !== undefined) filter[key] = options[key];
  if (options.olderThanMinutes !== undefined) {
    const minutes = Number(options.olderThanMinutes);
    if (!Number.isInteger(minutes) || minutes < 0) throw new UsageError('--older-than-minutes must be a whole number');
    filter['olderThanMinutes'] = minutes;
  }
  return filter as ExceptionFilter;
}

function line(x: ExceptionItem): string {
  const doc = x.documentId === null ? `event ${x.eventId ?? '-'}` : `${x.flow ?? '-'} ${x.documentId}`;
  return `${x.id}  ${x.status.padEnd(10)} ${x.class.padEnd(18)} ${x.owner.padEnd(16)} ${doc}  ${x.code}  ${x.createdAt}${x.slaDueAt === null ? '' : `  due ${x.slaDueAt}`}`;
}

function withFilterOptions(command: Command): Command {
  return command
    .option('--db <location>', 'SQLite path or postgres:// URL (LEDGERLINK_DB)')
    .option('--config <file>', 'configuration file (LEDGERLINK_CONFIG)')
    .option('--process <flow>', 'business process (flow)')
    .addOption(new Option('--class <class>', 'exception class').choices(exceptionClasses))
    .option('--owner <team>', 'owner team')
    .option('--entity <code>', 'legal entity')
    .option('--status <status>', 'status (comma-separated for several)')
    .option('--older-than-minutes <n>', 'raised more than n minutes ago')
    .option('--system <system>', 'system concerned')
    .option('--code <code>', 'error code');
}

async function runList(options: ListOptions, io: CommandIo): Promise<number> {
  return withEngine(options, async (engine) => {
    const limit = options.limit === undefined ? 50 : Number(options.limit);
    const page = await engine.listExceptions(filterOf(options), {
      limit,
      ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
    });
    if (options.json === true) {
      io.out(JSON.stringify(page));
      return EXIT_OK;
    }
    for (const x of page.exceptions) io.out(line(x));
    io.out(`${page.exceptions.length} exception(s)${page.next === null ? '' : `; more with --cursor ${page.next}`}`);
    return EXIT_OK;
  });
}

async function runAction(
  action: ExceptionActionName,
  ids: readonly string[],
  options: ActionOptions,
  io: CommandIo,
): Promise<number> {
  const filter = filterOf(options);
  if (ids.length === 0 && Object.keys(filter).length === 0)
    throw new UsageError(`exceptions ${action} needs exception IDs or a filter (e.g. --status open --class transient)`);
  if (ids.length > 0 && Object.keys(filter).length > 0)
    throw new UsageError('give exception IDs or a filter, not both');
  const payload =
    options.payloadFile === undefined ? undefined : parseStrictJson(await readFile(options.payloadFile, 'utf8'));
  if (payload !== undefined && ids.length !== 1)
    throw new UsageError('--payload-file edits one document: give exactly one exception ID');
  const replay: ReplayOptions = {
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.mapping === undefined ? {} : { mapping: options.mapping }),
    ...(payload === undefined ? {} : { payload }),
  };
  return withEngine(options, async (engine) => {
    const actor = cliActor();
    if (ids.length === 0) {
      const answer = await engine.bulkActOnExceptions({
        action,
        actor,
        filter,
        dryRun: options.dryRun === true,
        reason: options.reason,
        ...(action === 'replay' ? { replay } : {}),
      });
      if (options.json === true) io.out(JSON.stringify(answer));
      else if (answer.dryRun)
        io.out(
          `dry run: ${answer.total} exception(s) match; ${action} would apply to: ${answer.ids.join(' ') || '(none)'}`,
        );
      else {
        for (const item of answer.items)
          io.out(
            item.ok
              ? `${item.id}  ${action}: ${item.result.status}`
              : `${item.id}  FAILED ${item.error.message} [${item.error.code}]`,
          );
        io.out(`${answer.succeeded} done, ${answer.failed} failed, ${answer.total} matched`);
      }
      return answer.dryRun || answer.failed === 0 ? EXIT_OK : EXIT_FAILURE;
    }
    let failed = 0;
    for (const id of ids) {
      if (options.dryRun === true) {
        const found = await engine.getException(id);
        io.out(found === undefined ? `${id}  not found` : `${id}  ${found.status}: ${action} would apply`);
        if (found === undefined) failed++;
        continue;
      }
      try {
        const result = await engine.actOnException(id, {
          action,
          actor,
          reason: options.reason,
          ...(action === 'replay' ? { replay } : {}),
        });
        io.out(
          options.json === true
            ? JSON.stringify(result)
            : `${id}  ${action}: ${result.status}${result.runStatus === null ? '' : ` (run ${result.runStatus})`}${result.waitingOn === null ? '' : `, waiting for ${result.waitingOn}`}`,
        );
      } catch (error) {
        failed++;
        const coded = error as { code?: string; message?: string };
        io.err(`${id}  FAILED ${coded.message ?? String(error)}${coded.code === undefined ? '' : ` [${coded.code}]`}`);
      }
    }
    return failed === 0 ? EXIT_OK : EXIT_FAILURE;
  });
}

export function registerExceptionsCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  const exceptions = program.command('exceptions').description('the exception queue and its actions');
  withFilterOptions(exceptions.command('list').description('list exceptions, oldest first'))
    .option('--json', 'one JSON document')
    .option('--limit <n>', 'page size (default 50)')
    .option('--cursor <id>', 'the next page after this id')
    .action(async (options: ListOptions) => setExit(await runList(options, io)));
  const describe: Record<ExceptionActionName, string> = {
    retry: 'run the failed step again with the same input',
    replay:
      'run again from the failed step or the start, with the same or current mapping, optionally an edited payload',
    resolve: 'close as fixed outside the hub (reason required)',
    ignore: 'close as deliberately dropped (reason required)',
  };
  for (const action of ['retry', 'replay', 'resolve', 'ignore'] as const) {
    const command = withFilterOptions(exceptions.command(`${action} [ids...]`).description(describe[action]))
      .option('--dry-run', 'show what would be acted on; change nothing')
      .option('--reason <text>', 'why (kept in the audit log)')
      .option('--json', 'JSON output');
    if (action === 'replay') {
      command
        .addOption(new Option('--from <where>', 'where to start').choices(['failed-step', 'start']))
        .addOption(new Option('--mapping <version>', 'mapping version to use').choices(['same', 'current']))
        .option('--payload-file <file>', 'JSON file replacing the payload (one ID; the original is kept)');
    }
    command.action(async (ids: string[], options: ActionOptions) => setExit(await runAction(action, ids, options, io)));
  }
}
