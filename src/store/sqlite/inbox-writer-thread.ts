/**
 * The inbox writer thread: its own connection to the SQLite file, committing ingest batches with
 * synchronous=FULL. Running here, the fsync of every commit blocks this thread, not the event loop
 * that parses HTTP requests. Each batch is answered only after its COMMIT returned.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { NewInboxEvent } from '../port.js';
import { configureConnection, insertInboxEvents, prepareInboxStatements, type InboxStatements } from './inbox-statements.js';

interface WriterData {
  readonly path: string;
  readonly busyTimeoutMs: number;
}

const { path, busyTimeoutMs } = workerData as WriterData;
const raw = new BetterSqlite3(path);
configureConnection(raw, busyTimeoutMs);
let statements: InboxStatements | undefined;

parentPort?.on('message', (message: { id: number; events: NewInboxEvent[] } | 'close') => {
  if (message === 'close') {
    raw.close();
    parentPort?.close();
    return;
  }
  try {
    statements ??= prepareInboxStatements(raw);
    const prepared = statements;
    const results = raw.transaction(() => insertInboxEvents(prepared, message.events)).immediate();
    parentPort?.postMessage({ id: message.id, results });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
