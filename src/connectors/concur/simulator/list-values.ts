/**
 * Concur list items (List v4) as the simulator keeps them: lists of code/value items that expense
 * users pick from (cost centers, projects). `GET /list/v4/lists/{listId}/children` pages the items,
 * `POST /list/v4/items` creates one (a duplicate code under the same parent is 409), `PUT
 * /list/v4/items/{id}` changes its value, `DELETE /list/v4/items/{id}` deletes it: the item stays,
 * marked `isDeleted`, and is listed again only with `?isDeleted=true`; its code is free for a new item.
 */
import { randomUUID } from 'node:crypto';
import { json, type SimRequest, type SimResponse } from '../../sim-kit/sim-server.js';
import { field, isObject, parseFis, text } from './fis-json.js';

export interface ListItem {
  readonly id: string;
  readonly listId: string;
  readonly code: string;
  value: string;
  readonly parentId: string | null;
  isDeleted: boolean;
}

export class ListValues {
  private readonly items = new Map<string, ListItem>();

  clear(): void {
    this.items.clear();
  }

  children(req: SimRequest): SimResponse {
    const listId = req.params['listId'] ?? '';
    const page = Number(req.query.get('page') ?? '0');
    const limit = Number(req.query.get('limit') ?? '100');
    if (!Number.isInteger(page) || page < 0 || !Number.isInteger(limit) || limit < 1 || limit > 100) {
      return badRequest(req, 'page must be 0 or more and limit between 1 and 100');
    }
    const withDeleted = req.query.get('isDeleted') === 'true';
    const all = [...this.items.values()].filter((i) => i.listId === listId && (withDeleted || !i.isDeleted));
    return json(200, {
      content: all.slice(page * limit, page * limit + limit).map(shape),
      page: { size: limit, totalElements: all.length, totalPages: Math.ceil(all.length / limit), number: page },
    });
  }

  create(req: SimRequest): SimResponse & { readonly item?: ListItem } {
    const body = safeParse(req.body);
    const listId = text(field(body, 'listId'));
    const code = text(field(body, 'code'));
    const value = text(field(body, 'value'));
    const parentId = text(field(body, 'parentId')) ?? null;
    if (listId === undefined || code === undefined || code === '' || value === undefined) {
      return badRequest(req, 'listId, code and value are required');
    }
    if (
      [...this.items.values()].some(
        (i) => i.listId === listId && i.parentId === parentId && i.code === code && !i.isDeleted,
      )
    ) {
      return json(409, {
        timestamp: new Date().toISOString(),
        status: 409,
        error: 'Conflict',
        message: `code ${code} already exists`,
        path: req.path,
      });
    }
    const item: ListItem = { id: randomUUID(), listId, code, value, parentId, isDeleted: false };
    this.items.set(item.id, item);
    return { ...json(201, shape(item)), committed: true, item };
  }

  update(req: SimRequest): SimResponse & { readonly item?: ListItem } {
    const item = this.items.get(req.params['id'] ?? '');
    if (item === undefined || item.isDeleted)
      return json(404, {
        timestamp: new Date().toISOString(),
        status: 404,
        error: 'Not Found',
        message: 'no such item',
        path: req.path,
      });
    const value = text(field(safeParse(req.body), 'value'));
    if (value === undefined) return badRequest(req, 'value is required');
    item.value = value;
    return { ...json(200, shape(item)), committed: true, item };
  }

  remove(req: SimRequest): SimResponse & { readonly item?: ListItem } {
    const item = this.items.get(req.params['id'] ?? '');
    if (item === undefined || item.isDeleted)
      return json(404, {
        timestamp: new Date().toISOString(),
        status: 404,
        error: 'Not Found',
        message: 'no such item',
        path: req.path,
      });
    item.isDeleted = true;
    return { status: 204, headers: {}, body: '', committed: true, item };
  }
}

function shape(item: ListItem): Record<string, unknown> {
  return {
    id: item.id,
    listId: item.listId,
    code: item.code,
    value: item.value,
    parentId: item.parentId,
    isDeleted: item.isDeleted,
  };
}

function safeParse(body: string): ReturnType<typeof parseFis> | undefined {
  try {
    const value = parseFis(body);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function badRequest(req: SimRequest, message: string): SimResponse {
  return json(400, { timestamp: new Date().toISOString(), status: 400, error: 'Bad Request', message, path: req.path });
}
