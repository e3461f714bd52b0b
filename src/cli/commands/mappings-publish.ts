/**
 * `ledgerlink mappings publish FILE [--author NAME] [--db]` registers a set pending approval;
 * `mappings approve VERSION --as NAME [--db]` publishes it (the author cannot approve their own set:
 * LL_ERR_SEGREGATION_OF_DUTIES, exit 1); `mappings reject VERSION --as NAME --reason TEXT [--db]`.
 * The audit log names the actor `cli:<name>`.
 */
import { readFileSync } from 'node:fs';
import { isLedgerlinkError, LedgerlinkError } from '../../canonical/errors.js';
import { createMappings, type Mappings } from '../../hub/mapping-sets/mappings.js';
import { type CommandIo, EXIT_OK, EXIT_USAGE, UsageError } from '../cli-support.js';
import { osUserName, withExistingStore } from '../session.js';
import { printInvalid } from './mappings-output.js';

export interface StoreOptions {
  readonly db?: string;
}

/** Opens the store (which must be migrated) and hands the mappings over it to `fn`. */
export async function withMappings<T>(options: StoreOptions, fn: (mappings: Mappings) => Promise<T>): Promise<T> {
  return withExistingStore(options.db, (store) => fn(createMappings(store)));
}

const actor = (name: string) => ({ name, actor: `cli:${name}` });

export async function runMappingsPublish(
  file: string,
  options: StoreOptions & { author?: string },
  io: CommandIo,
): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`Cannot read ${file}`);
  }
  const author = options.author ?? osUserName();
  try {
    return await withMappings(options, async (mappings) => {
      const { record, created } = await mappings.register(text, actor(author), file);
      if (created) io.out(`Registered ${record.version} pending approval (author ${record.author})`);
      else io.out(`Already stored: ${record.version} (${record.status}, author ${record.author})`);
      return EXIT_OK;
    });
  } catch (error) {
    if (isLedgerlinkError(error) && error.code === 'LL_ERR_MAPPING_INVALID') {
      printInvalid(error, io);
      return EXIT_USAGE;
    }
    throw error;
  }
}

export async function runMappingsApprove(
  version: string,
  options: StoreOptions & { as: string },
  io: CommandIo,
): Promise<number> {
  return withMappings(options, async (mappings) => {
    const record = await mappings.sets.approve(version, actor(options.as));
    io.out(`Published ${record.version} (author ${record.author}, approved by ${record.approvedBy ?? options.as})`);
    return EXIT_OK;
  });
}

export async function runMappingsReject(
  version: string,
  options: StoreOptions & { as: string; reason: string },
  io: CommandIo,
): Promise<number> {
  if (options.reason.trim() === '') throw new LedgerlinkError('LL_ERR_BAD_REQUEST', 'A rejection needs a reason');
  return withMappings(options, async (mappings) => {
    const record = await mappings.sets.reject(version, actor(options.as), options.reason);
    io.out(`Rejected ${record.version} (author ${record.author}, rejected by ${options.as}): ${options.reason}`);
    return EXIT_OK;
  });
}
