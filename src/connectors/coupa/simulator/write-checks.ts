/**
 * A write's body checked against the resource's model (coupa-models.ts), as the tenant refuses it:
 * read-only fields, unknown fields, integers and booleans of the wrong type, values outside their
 * list, and the items of nested lists (an integration record's `responses`) by their own model.
 */
import type { CollectionKey } from './estate.js';
import { MODELS, type ResourceModel } from './coupa-models.js';

export interface Refusal {
  readonly object: string;
  readonly messages: readonly string[];
}

export function modelOf(collection: CollectionKey): ResourceModel {
  return MODELS[collection];
}

/** `document-id` → `Document id`, as Coupa words its messages. */
export function humanize(field: string): string {
  const words = field.replace(/[-_]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function isInteger(value: unknown): boolean {
  return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^\d+$/.test(value));
}

function problemsOf(model: ResourceModel, body: Record<string, unknown>, at: string): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const name = `${at}${humanize(key)}`;
    if (model.readOnly.includes(key)) {
      problems.push(`${name} is read-only and cannot be written`);
      continue;
    }
    if (!model.writable.includes(key)) {
      problems.push(`${name} is an unknown attribute of ${model.object}`);
      continue;
    }
    if (value === null) continue;
    if (model.integers?.includes(key) === true && !isInteger(value)) problems.push(`${name} must be an integer`);
    if (model.booleans?.includes(key) === true && typeof value !== 'boolean')
      problems.push(`${name} must be true or false`);
    const allowed = model.values?.[key];
    if (allowed !== undefined && !allowed.includes(String(value)))
      problems.push(`${name} is not one of ${allowed.join(', ')}`);
    const nested = model.nested?.[key];
    if (nested !== undefined) {
      if (!Array.isArray(value)) {
        problems.push(`${name} must be a list`);
        continue;
      }
      value.forEach((item: unknown, index) => {
        if (item === null || typeof item !== 'object' || Array.isArray(item))
          problems.push(`${name} ${index + 1} must be an object`);
        else problems.push(...problemsOf(nested, item as Record<string, unknown>, `${name} ${index + 1}: `));
      });
    }
  }
  return problems;
}

/** The refusal of a body that breaks the model, or undefined. */
export function checkBody(model: ResourceModel, body: Record<string, unknown>): Refusal | undefined {
  const problems = problemsOf(model, body, '');
  return problems.length === 0 ? undefined : { object: model.object, messages: problems };
}
