/** The identity map on the store (`refs`): which remote ID a canonical object has in each system. */
import { LedgerlinkError } from '../canonical/errors.js';
import type { Store } from '../store/port.js';
import type { IdentityMap } from './ports.js';

export class StoreIdentityMap implements IdentityMap {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

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
        throw new LedgerlinkError(
          'LL_ERR_ILLEGAL_TRANSITION',
          `${entityType} ${canonicalId} cannot be linked to ${system} ${remoteId}: another link exists`,
          {
            details: existing.map((r) => ({
              message: 'existing link',
              canonicalId: r.canonical_id,
              remoteId: r.remote_id,
            })),
          },
        );
      }
      await tx
        .insertInto('refs')
        .values({
          entity_type: entityType,
          canonical_id: canonicalId,
          system,
          remote_id: remoteId,
          created_at: this.now(),
        })
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
