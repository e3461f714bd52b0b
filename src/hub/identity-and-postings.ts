/** Store-backed implementations of the services flows receive: the identity map and posting lookup. */
import { LedgerlinkError } from '../canonical/errors.js';
import { parseStrictJson } from '../canonical/strict-json.js';
import type { Store } from '../store/port.js';
import { idempotencyKey } from '../engine/effect-ledger.js';
import { documentKeyOf } from '../engine/flow-registry.js';
import { openColumn, plainCodec, type PayloadCodec } from '../engine/record-protection.js';
import type { IdentityMap, PostingLookup, PostingRecord } from '../engine/step-api.js';

export class StoreIdentityMap implements IdentityMap {
  constructor(private readonly store: Store, private readonly now: () => number = Date.now) {}

  async link(entityType: string, canonicalId: string, system: string, remoteId: string): Promise<void> {
    await this.store.writeTransaction(async (tx) => {
      const existing = await tx
        .selectFrom('refs')
        .select(['canonical_id', 'remote_id'])
        .where('entity_type', '=', entityType)
        .where('system', '=', system)
        .where((eb) => eb.or([eb('canonical_id', '=', canonicalId), eb('remote_id', '=', remoteId)]))
        .execute();
      if (existing.some((r) => r.canonical_id === canonicalId && r.remote_id === remoteId)) return;
      if (existing.length > 0) {
        throw new LedgerlinkError('LL_ERR_ILLEGAL_TRANSITION', `${entityType} ${canonicalId} cannot be linked to ${system} ${remoteId}: another link exists`, {
          details: existing.map((r) => ({ message: 'existing link', canonicalId: r.canonical_id, remoteId: r.remote_id })),
        });
      }
      await tx
        .insertInto('refs')
        .values({ entity_type: entityType, canonical_id: canonicalId, system, remote_id: remoteId, created_at: this.now() })
        .execute();
    });
  }

  async remoteIdOf(entityType: string, canonicalId: string, system: string): Promise<string | null> {
    const row = await this.store.db
      .selectFrom('refs')
      .select('remote_id')
      .where('entity_type', '=', entityType)
      .where('canonical_id', '=', canonicalId)
      .where('system', '=', system)
      .executeTakeFirst();
    return row?.remote_id ?? null;
  }

  async canonicalIdOf(entityType: string, system: string, remoteId: string): Promise<string | null> {
    const row = await this.store.db
      .selectFrom('refs')
      .select('canonical_id')
      .where('entity_type', '=', entityType)
      .where('system', '=', system)
      .where('remote_id', '=', remoteId)
      .executeTakeFirst();
    return row?.canonical_id ?? null;
  }
}

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
    const row = await this.query().where('effects.system', '=', system).where('effects.idempotency_key', '=', idempotencyKey).executeTakeFirst();
    return row === undefined ? null : this.toRecord(row);
  }

  async byRemoteId(system: string, remoteId: string): Promise<PostingRecord | null> {
    const row = await this.query().where('effects.system', '=', system).where('effects.remote_id', '=', remoteId).executeTakeFirst();
    return row === undefined ? null : this.toRecord(row);
  }

  referencesOf(posting: PostingRecord, step: string, name: string): readonly string[] {
    return [idempotencyKey(documentKeyOf(posting.flow, posting.sourceSystem, posting.documentId), step, name), idempotencyKey(posting.runKey, step, name)];
  }

  async markPaid(runId: string, paidAt: number): Promise<void> {
    await this.store.writeTransaction(async (tx) => {
      await tx.updateTable('runs').set({ paid_at: paidAt }).where('id', '=', runId).where('paid_at', 'is', null).execute();
    });
  }
}
