/**
 * The directory held as a synced copy, so posting an expense report costs no directory request: the
 * users are read in full once, then only those changed since the last read (SCIM `meta.lastModified`,
 * on the hub's schedule), and in full again once a day (a read of changes cannot see a user deleted
 * from the directory), and a lookup the copy cannot answer (a new hire since the last read) goes
 * to the directory and is kept. Until the first full read has finished every lookup goes to the
 * directory. An employee number or login held by more than one user is asked of the directory too,
 * which refuses it as it would without the copy.
 */
import type { DirectoryPort, DirectoryUser } from '../../connectors/port.js';

export interface SyncedDirectoryOptions {
  /** How far back a changed-since read reaches before the last read began (clock skew, slow commits). */
  readonly overlapMs?: number;
  /** How long after a full read the next read is in full again (default one day). */
  readonly fullReadEveryMs?: number;
  readonly now?: () => number;
}

const key = (value: string): string => value.trim().toLowerCase();
const employeeNumberOf = (user: DirectoryUser): string | undefined =>
  user.enterprise.employeeNumber ?? user.employee.personnelNumber;

export class SyncedDirectory implements DirectoryPort {
  #byEmployeeNumber = new Map<string, DirectoryUser[]>();
  #byLogin = new Map<string, DirectoryUser[]>();
  #byId = new Map<string, DirectoryUser>();
  #syncedFrom: number | undefined;
  #fullReadAt: number | undefined;
  #syncing: Promise<void> | undefined;
  readonly #now: () => number;
  readonly #overlapMs: number;
  readonly #fullReadEveryMs: number;

  constructor(
    private readonly source: DirectoryPort,
    options: SyncedDirectoryOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#overlapMs = options.overlapMs ?? 60_000;
    this.#fullReadEveryMs = options.fullReadEveryMs ?? 86_400_000;
  }

  /** True once the first full read finished. */
  get loaded(): boolean {
    return this.#syncedFrom !== undefined;
  }

  get size(): number {
    return this.#byId.size;
  }

  /**
   * Reads the directory into the copy: in full the first time (or when the directory cannot read
   * changes only), afterwards the users changed since the last read. Calls made while one runs share it.
   */
  sync(): Promise<void> {
    this.#syncing ??= this.#read().finally(() => {
      this.#syncing = undefined;
    });
    return this.#syncing;
  }

  async #read(): Promise<void> {
    const startedAt = this.#now();
    const since = this.#syncedFrom;
    const fullReadDue = this.#fullReadAt === undefined || startedAt - this.#fullReadAt >= this.#fullReadEveryMs;
    if (since === undefined || fullReadDue || this.source.usersChangedSince === undefined) {
      const users: DirectoryUser[] = [];
      for await (const user of this.source.listUsers()) users.push(user);
      this.#byEmployeeNumber = new Map();
      this.#byLogin = new Map();
      this.#byId = new Map();
      for (const user of users) this.#keep(user);
      this.#fullReadAt = startedAt;
    } else {
      for await (const user of this.source.usersChangedSince(new Date(since).toISOString())) this.#keep(user);
    }
    this.#syncedFrom = startedAt - this.#overlapMs;
  }

  #keep(user: DirectoryUser): void {
    const earlier = this.#byId.get(user.employee.id);
    if (earlier !== undefined) this.#forget(earlier);
    this.#byId.set(user.employee.id, user);
    const number = employeeNumberOf(user);
    if (number !== undefined && number !== '') add(this.#byEmployeeNumber, key(number), user);
    add(this.#byLogin, key(user.login), user);
  }

  #forget(user: DirectoryUser): void {
    this.#byId.delete(user.employee.id);
    const number = employeeNumberOf(user);
    if (number !== undefined) remove(this.#byEmployeeNumber, key(number), user.employee.id);
    remove(this.#byLogin, key(user.login), user.employee.id);
  }

  async findByEmployeeNumber(employeeNumber: string): Promise<DirectoryUser | null> {
    return this.#find(this.#byEmployeeNumber, employeeNumber, () => this.source.findByEmployeeNumber(employeeNumber));
  }

  async findByLogin(login: string): Promise<DirectoryUser | null> {
    return this.#find(this.#byLogin, login, () => this.source.findByLogin(login));
  }

  async findById(id: string): Promise<DirectoryUser | null> {
    const held = this.loaded ? this.#byId.get(id) : undefined;
    if (held !== undefined) return held;
    return this.#fetched(await this.source.findById(id));
  }

  listUsers(): AsyncIterable<DirectoryUser> {
    return this.source.listUsers();
  }

  async #find(
    index: ReadonlyMap<string, readonly DirectoryUser[]>,
    value: string,
    ask: () => Promise<DirectoryUser | null>,
  ): Promise<DirectoryUser | null> {
    const held = this.loaded ? index.get(key(value)) : undefined;
    if (held !== undefined && held.length === 1) return held[0]!;
    return this.#fetched(await ask());
  }

  #fetched(user: DirectoryUser | null): DirectoryUser | null {
    if (user !== null && this.loaded) this.#keep(user);
    return user;
  }
}

function add(index: Map<string, DirectoryUser[]>, k: string, user: DirectoryUser): void {
  const list = index.get(k);
  if (list === undefined) index.set(k, [user]);
  else list.push(user);
}

function remove(index: Map<string, DirectoryUser[]>, k: string, id: string): void {
  const list = index.get(k)?.filter((u) => u.employee.id !== id);
  if (list === undefined) return;
  if (list.length === 0) index.delete(k);
  else index.set(k, list);
}
