/**
 * The inbox writer thread: its own connection to the SQLite file, committing ingest batches with
 * synchronous=FULL. Running here, the fsync of every commit blocks this thread, not the event loop
 * that parses HTTP requests. Batches that queued up while a commit was running are written together
 * in the next transaction (one fsync for all of them); each is answered only after that COMMIT.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { InboxInsertResult, NewInboxEvent } from '../port.js';
import {
  configureConnection,
  insertInboxEvents,
  prepareInboxStatements,
  type InboxStatements,
} from './inbox-statements.js';

interface WriterData {
  readonly path: string;
  readonly busyTimeoutMs: number;
}

type Message = { readonly id: number; readonly events: NewInboxEvent[] } | 'close';

const { path, busyTimeoutMs } = workerData as WriterData;
const raw = new BetterSqlite3(path);
configureConnection(raw, busyTimeoutMs);
let statements: InboxStatements | undefined;

function commitTogether(batches: readonly { id: number; events: NewInboxEvent[] }[]): void {
  try {
    statements ??= prepareInboxStatements(raw);
    const prepared = statements;
    const results: InboxInsertResult[][] = raw
      .transaction(() => batches.map((b) => insertInboxEvents(prepared, b.events)))
      .immediate();
    batches.forEach((b, i) => parentPort?.postMessage({ id: b.id, results: results[i] }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    for (const b of batches) parentPort?.postMessage({ id: b.id, error: message });
  }
}

parentPort?.on('message', (first: Message) => {
  const port = parentPort!;
  const queued: Message[] = [first];
  for (let next = receiveMessageOnPort(port); next !== undefined; next = receiveMessageOnPort(port))
    queued.push(next.message as Message);
  const batches = queued.filter((m): m is Exclude<Message, 'close'> => m !== 'close');
  if (batches.length > 0) commitTogether(batches);
  if (queued.includes('close')) {
    raw.close();
    port.close();
  }
});
