/**
 * `ledgerlink agent --config agent.yaml` — runs an on-premises agent: connects out to the hub named
 * in its configuration, takes the HTTP calls of the systems the hub reaches `via: agent:<name>`,
 * makes them inside this network with the credentials configured here, and answers them. Opens no
 * port. Runs until SIGTERM or SIGINT; prints "agent <name> running" once started.
 */
import type { Command } from 'commander';
import { loadAgentSettings } from '../../agent/runner/agent-config.js';
import { AgentRunner } from '../../agent/runner/agent-runner.js';
import { createLogger } from '../../observability/logger.js';
import { EXIT_OK, productVersion, UsageError, type CommandIo } from '../cli-support.js';

interface AgentOptions {
  readonly config?: string;
}

export async function runAgent(options: AgentOptions, io: CommandIo): Promise<number> {
  const path = options.config ?? process.env['LEDGERLINK_AGENT_CONFIG']?.trim();
  if (path === undefined || path === '')
    throw new UsageError('ledgerlink agent needs --config FILE (or LEDGERLINK_AGENT_CONFIG)');
  const settings = await loadAgentSettings(path);
  const logger = createLogger();
  const runner = new AgentRunner(settings, {
    version: productVersion(),
    log: {
      info: (fields, message) => logger.info({ agent: settings.name, ...fields }, message),
      warn: (fields, message) => logger.warn({ agent: settings.name, ...fields }, message),
    },
  });
  runner.start();
  io.out(
    `agent ${settings.name} running: polling ${settings.hub.origin} for ${Object.keys(settings.systems).join(', ')}`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  io.out(`agent ${settings.name} stopping`);
  await runner.stop();
  return EXIT_OK;
}

export function registerAgentCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  program
    .command('agent')
    .description("run an on-premises agent: carries the hub's calls to systems inside this network (outbound only)")
    .option('--config <file>', "the agent's configuration (LEDGERLINK_AGENT_CONFIG)")
    .action(async (options: AgentOptions) => {
      setExit(await runAgent(options, io));
    });
}
