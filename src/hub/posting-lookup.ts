/** Earlier postings found in the effect ledger, by our reference or the target's number. */
import { parseStrictJson } from '../canonical/strict-json.js';
import type { Store } from '../store/port.js';
import { documentKeyOf, idempotencyKey } from '../engine/keys.js';
import { openColumn, plainCodec, type PayloadCodec } from '../engine/record-protection.js';
import type { PostedVersion, PostingLookup, PostingRecord } from './ports.js';

export class StorePostingLookup implements PostingLookup {
  constructor(
    private readonly store: Store,
    private readonly codec: PayloadCodec = plainCodec,
  ) {}

  private query() {
    return this.store.db
      .selectFrom('effects')
      .innerJoin('runs', 'runs.id', 'effects.run_id')
      .select([
        'runs.id as runId',
        'runs.run_key as runKey',
        'runs.flow as flow',
        'runs.system as sourceSystem',
        'runs.document_id as documentId',
        'runs.version as version',
        'runs.correlation_id as correlationId',
        'runs.entity as entity',
        'runs.input as input',
        'effects.system as system',
        'effects.idempotency_key as idempotencyKey',
        'effects.remote_id as remoteId',
        'effects.step as step',
      ])
      .where('effects.status', '=', 'confirmed');
  }

  private toRecord(row: Omit<PostingRecord, 'input'> & { input: string }): PostingRecord {
    return { ...row, input: parseStrictJson(openColumn(this.codec, 'runs', 'input', row.runId, row.input)) };
  }

  async byReference(system: string, idempotencyKey: string): Promise<PostingRecord | null> {
    const row = await this.query()
      .where('effects.system', '=', system)
      .where('effects.idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
    return row === undefined ? null : this.toRecord(row);
  }

  async byRemoteId(system: string, remoteId: string): Promise<PostingRecord | null> {
    const row = await this.query()
      .where('effects.system', '=', system)
      .where('effects.remote_id', '=', remoteId)
      .executeTakeFirst();
    return row === undefined ? null : this.toRecord(row);
  }

  referencesOf(posting: PostingRecord, step: string, name: string): readonly string[] {
    return [
      idempotencyKey(documentKeyOf(posting.flow, posting.sourceSystem, posting.documentId), step, name),
      idempotencyKey(posting.runKey, step, name),
    ];
  }

  async postedVersionsOf(
    flow: string,
    sourceSystem: string,
    documentId: string,
    exceptRunId: string,
  ): Promise<PostedVersion[]> {
    const rows = await this.store.db
      .selectFrom('runs')
      .select(['id', 'version', 'posted_at', 'state'])
      .where('flow', '=', flow)
      .where('system', '=', sourceSystem)
      .where('document_id', '=', documentId)
      .where('id', '!=', exceptRunId)
      .where('posted_at', 'is not', null)
      .orderBy('posted_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map((row) => ({
      runId: row.id,
      version: row.version,
      postedAt: Number(row.posted_at),
      state: JSON.parse(openColumn(this.codec, 'runs', 'state', row.id, row.state)) as Record<string, unknown>,
    }));
  }

  async markPaid(runId: string, paidAt: number): Promise<void> {
    await this.store.writeTransaction(async (tx) => {
      await tx
        .updateTable('runs')
        .set({ paid_at: paidAt })
        .where('id', '=', runId)
        .where('paid_at', 'is', null)
        .execute();
    });
  }
}
