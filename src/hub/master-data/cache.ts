/**
 * The master data the synchronous checks answer from: an index (buildMasterDataIndex) held in this
 * process, so `POST /v1/validate/coding` needs no database round trip.
 *
 * Loaded at start from the store. Refreshed when a snapshot is committed: in this process the
 * master data flow calls `invalidate()` directly; a change committed by another process (a worker
 * elsewhere) is noticed by a cheap check of the store's master data revision (version count and
 * newest fetch time) every `refreshMs` (default 3 s). Reloads never overlap; one asked for while
 * another runs happens right after it.
 */
import type { MasterDataRepository } from '../ports.js';
import { validationSnapshotOf } from './entries.js';
import { buildMasterDataIndex, type MasterDataIndex } from '../../validation/index.js';

export interface MasterDataCacheOptions {
  readonly refreshMs?: number;
  readonly onError?: (error: unknown) => void;
  readonly now?: () => number;
}

export interface MasterDataCacheStatus {
  readonly loaded: boolean;
  readonly revision: string | null;
  readonly loadedAt: number | null;
  readonly size: MasterDataIndex['size'] | null;
}

export class MasterDataCache {
  #index: MasterDataIndex | undefined;
  #revision: string | null = null;
  #loadedAt: number | null = null;
  #reloading: Promise<void> | undefined;
  #again = false;
  readonly #repository: MasterDataRepository;
  readonly #options: MasterDataCacheOptions;

  constructor(repository: MasterDataRepository, options: MasterDataCacheOptions = {}) {
    this.#repository = repository;
    this.#options = options;
  }

  /** The index, or undefined while nothing is loaded (no snapshot committed yet). */
  get index(): MasterDataIndex | undefined {
    return this.#index;
  }

  get status(): MasterDataCacheStatus {
    return {
      loaded: this.#index !== undefined,
      revision: this.#revision,
      loadedAt: this.#loadedAt,
      size: this.#index?.size ?? null,
    };
  }

  /** Loads now (waits for a reload in progress, then loads again). */
  async reload(): Promise<void> {
    if (this.#reloading !== undefined) {
      this.#again = true;
      return this.#reloading;
    }
    this.#reloading = this.#load().finally(() => {
      this.#reloading = undefined;
    });
    await this.#reloading;
    if (this.#again) {
      this.#again = false;
      await this.reload();
    }
  }

  /** A snapshot was committed in this process: reload without waiting. */
  invalidate(): void {
    this.reload().catch((error: unknown) => this.#options.onError?.(error));
  }

  /** How often the hub's scheduler calls `checkRevision`. */
  get refreshMs(): number {
    return this.#options.refreshMs ?? 3_000;
  }

  /** Reloads when another process committed a snapshot since the last load. */
  async checkRevision(): Promise<void> {
    if (this.#reloading !== undefined) return;
    if ((await this.#repository.revision()) !== this.#revision) await this.reload();
  }

  async #load(): Promise<void> {
    // The revision is read first: a commit landing between the two reads is loaded by the next check.
    const revision = await this.#repository.revision();
    const entries = await this.#repository.current({ includeRetired: true });
    this.#index = entries.length === 0 ? undefined : buildMasterDataIndex(validationSnapshotOf(entries));
    this.#revision = revision;
    this.#loadedAt = (this.#options.now ?? Date.now)();
  }
}
