/**
 * Concur list items (List Item v4) as the simulator keeps them, from the contract facts (`LIST_ITEMS`):
 * - `GET /list/v4/lists/{listId}/children`: the list's first-level items, pages numbered from 1 of a
 *   fixed 100 items (no `limit`), filtered by `value`, `shortCode` or `shortCodeOrValue` (operators
 *   eq, cp, not, sw, ew), sorted by `sortBy`/`sortDirection`; deleted items only with `isDeleted=true`.
 * - `POST /list/v4/items` `{listId, shortCode, value, parentId?, parentCode?}` creates an item; its
 *   `code` is the `shortCode`s from the top level down joined by `-`.
 * - `PUT /list/v4/items/{itemId}` `{shortCode, value}` changes both.
 * - `DELETE /list/v4/lists/{listId}/items/{itemId}` deletes it from that list only;
 *   `DELETE /list/v4/items/{itemId}` from every list. `isDeleted` is true once no list holds it.
 * Errors use the published `ErrorMessage` body `{error: {id, message}, httpStatus, path, timestamp, validationErrors?}`.
 * Lists themselves are not modelled: a list exists once an item names it (assumption).
 */
import { randomUUID } from 'node:crypto';
import { json, type SimRequest, type SimResponse } from '../../sim-kit/sim-server.js';
import { LIST_ITEMS } from '../concur-contract-facts.js';
import { field, isObject, parseFis, type FisObject } from './fis-json.js';

export interface ListItem {
  readonly id: string;
  shortCode: string;
  value: string;
  readonly parentId: string | null;
  readonly level: number;
  /** The lists holding the item and whether it is deleted from each. */
  readonly lists: Map<string, { deleted: boolean }>;
}

const PHRASES: Readonly<Record<number, string>> = { 400: 'Bad Request', 404: 'Not Found', 409: 'Conflict' };

/** The published List v4 error body. */
export function listError(
  req: SimRequest,
  status: number,
  message: string,
  validationErrors?: readonly { message: string; source: string }[],
): SimResponse {
  return json(status, {
    error: { id: randomUUID(), message },
    httpStatus: `${status} ${PHRASES[status] ?? ''}`.trim(),
    path: req.path,
    timestamp: new Date().toISOString(),
    ...(validationErrors === undefined ? {} : { validationErrors }),
  });
}

function matches(filter: string, actual: string): boolean {
  const m = /^(eq|cp|not|sw|ew):(.*)$/s.exec(filter);
  const [op, wanted] = m === null ? ['eq', filter] : [m[1] ?? 'eq', m[2] ?? ''];
  const a = actual.toLowerCase();
  const w = wanted.toLowerCase();
  if (op === 'cp') return a.includes(w);
  if (op === 'not') return a !== w;
  if (op === 'sw') return a.startsWith(w);
  if (op === 'ew') return a.endsWith(w);
  return a === w;
}

export class ListValues {
  private readonly items = new Map<string, ListItem>();

  clear(): void {
    this.items.clear();
  }

  children(req: SimRequest): SimResponse {
    const listId = req.params['listId'] ?? '';
    const allowed: readonly string[] = LIST_ITEMS.childrenQueryParameters;
    const unknown = [...req.query.keys()].filter((k) => !allowed.includes(k));
    if (unknown.length > 0) return listError(req, 400, `unknown query parameter ${unknown.join(', ')}`);
    const page = Number(req.query.get('page') ?? String(LIST_ITEMS.firstPage));
    if (!Number.isInteger(page) || page < LIST_ITEMS.firstPage)
      return listError(req, 400, `page must be ${LIST_ITEMS.firstPage} or more`);
    const sortBy = (req.query.get('sortBy') ?? 'value').toLowerCase();
    const direction = req.query.get('sortDirection') ?? 'asc';
    if (!(LIST_ITEMS.sortBy as readonly string[]).includes(sortBy)) return listError(req, 400, 'sortBy is invalid');
    if (!(LIST_ITEMS.sortDirection as readonly string[]).includes(direction))
      return listError(req, 400, 'sortDirection is invalid');
    const withDeleted = req.query.get('isDeleted') === 'true';
    const value = req.query.get('value');
    const shortCode = req.query.get('shortCode');
    const either = req.query.get('shortCodeOrValue');
    const all = [...this.items.values()]
      .filter((i) => i.level === 1 && i.lists.has(listId) && (withDeleted || i.lists.get(listId)?.deleted !== true))
      .filter((i) => value === null || matches(value, i.value))
      .filter((i) => shortCode === null || matches(shortCode, i.shortCode))
      .filter((i) => either === null || matches(either, i.shortCode) || matches(either, i.value))
      .sort((a, b) => {
        const [x, y] = sortBy === 'value' ? [a.value, b.value] : [a.shortCode, b.shortCode];
        return (x < y ? -1 : x > y ? 1 : 0) * (direction === 'desc' ? -1 : 1);
      });
    const size = LIST_ITEMS.pageSize;
    const from = (page - LIST_ITEMS.firstPage) * size;
    return json(200, {
      links: [],
      content: all.slice(from, from + size).map((i) => this.shape(i)),
      page: { size, totalElements: all.length, totalPages: Math.ceil(all.length / size), number: page },
    });
  }

  create(req: SimRequest): SimResponse & { readonly item?: ListItem } {
    const body = safeParse(req.body);
    const problem = bodyProblem(body, LIST_ITEMS.create);
    if (problem !== undefined) return listError(req, 400, 'Validation failed', [problem]);
    const listId = String(field(body, 'listId'));
    const shortCode = String(field(body, 'shortCode'));
    const value = String(field(body, 'value'));
    const parentCode = field(body, 'parentCode');
    const parentIdGiven = field(body, 'parentId');
    const parent =
      typeof parentIdGiven === 'string'
        ? this.items.get(parentIdGiven)
        : typeof parentCode === 'string'
          ? [...this.items.values()].find((i) => i.lists.has(listId) && this.code(i) === parentCode)
          : undefined;
    if ((typeof parentIdGiven === 'string' || typeof parentCode === 'string') && parent === undefined)
      return listError(req, 404, 'parent item not found');
    const parentId = parent?.id ?? null;
    const duplicate = [...this.items.values()].some(
      (i) =>
        i.parentId === parentId &&
        i.shortCode === shortCode &&
        i.lists.has(listId) &&
        i.lists.get(listId)?.deleted !== true,
    );
    if (duplicate) return listError(req, 400, `an item with shortCode ${shortCode} already exists at this level`);
    const item: ListItem = {
      id: randomUUID(),
      shortCode,
      value,
      parentId,
      level: parent === undefined ? 1 : parent.level + 1,
      lists: new Map([[listId, { deleted: false }]]),
    };
    this.items.set(item.id, item);
    return { ...json(201, this.shape(item)), committed: true, item };
  }

  update(req: SimRequest): SimResponse & { readonly item?: ListItem } {
    const item = this.items.get(req.params['itemId'] ?? '');
    if (item === undefined || this.isDeleted(item)) return listError(req, 404, 'list item not found');
    const body = safeParse(req.body);
    const problem = bodyProblem(body, LIST_ITEMS.update);
    if (problem !== undefined) return listError(req, 400, 'Validation failed', [problem]);
    item.shortCode = String(field(body, 'shortCode'));
    item.value = String(field(body, 'value'));
    return { ...json(200, this.shape(item)), committed: true, item };
  }

  /** Deletes from one list (`listId` path parameter) or, without it, from every list. */
  remove(req: SimRequest): SimResponse & { readonly item?: ListItem } {
    const item = this.items.get(req.params['itemId'] ?? '');
    const listId = req.params['listId'];
    if (item === undefined || this.isDeleted(item)) return listError(req, 404, 'list item not found');
    if (listId !== undefined) {
      const membership = item.lists.get(listId);
      if (membership === undefined || membership.deleted) return listError(req, 404, 'list item not found in list');
      membership.deleted = true;
    } else for (const membership of item.lists.values()) membership.deleted = true;
    return { status: 204, headers: {}, body: '', committed: true, item };
  }

  /** The long code: the short codes from the top level down joined by `-`. */
  code(item: ListItem): string {
    const parent = item.parentId === null ? undefined : this.items.get(item.parentId);
    return parent === undefined ? item.shortCode : `${this.code(parent)}${LIST_ITEMS.codeSeparator}${item.shortCode}`;
  }

  private isDeleted(item: ListItem): boolean {
    return [...item.lists.values()].every((m) => m.deleted);
  }

  /** The published item; `lists` holds the lists that still hold it, or all of them once it is deleted everywhere. */
  shape(item: ListItem): Record<string, unknown> {
    const deleted = this.isDeleted(item);
    const hasChildren = (listId: string): boolean =>
      [...this.items.values()].some((c) => c.parentId === item.id && c.lists.get(listId)?.deleted === false);
    return {
      id: item.id,
      code: this.code(item),
      shortCode: item.shortCode,
      value: item.value,
      parentId: item.parentId,
      level: item.level,
      isDeleted: deleted,
      lists: [...item.lists.entries()]
        .filter(([, m]) => deleted || !m.deleted)
        .map(([id]) => ({ id, hasChildren: hasChildren(id) })),
    };
  }
}

function bodyProblem(
  body: FisObject | undefined,
  model: { readonly keys: readonly string[]; readonly required: readonly string[] },
): { message: string; source: string } | undefined {
  if (body === undefined) return { message: 'the body must be a JSON object', source: 'body' };
  for (const key of Object.keys(body))
    if (!model.keys.includes(key)) return { message: `${key} is not a field of the request`, source: key };
  for (const key of model.required) {
    const value = field(body, key);
    if (typeof value !== 'string' || value === '') return { message: `${key} is required`, source: key };
  }
  return undefined;
}

function safeParse(body: string): FisObject | undefined {
  try {
    const value = parseFis(body);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
