/**
 * A run's input as the exact JSON text the hub stored (GET /v1/runs/:id writes it last, verbatim),
 * re-indented for reading without ever parsing its numbers, so an amount keeps every digit.
 */
import { call } from '../../api/client';

/** The text after `,"input":` of the run answer: the answer minus its re-serialised head. */
export async function runInputText(runId: string): Promise<string | undefined> {
  const response = await fetch(`/v1/runs/${encodeURIComponent(runId)}`, {
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { accept: 'application/json' },
  });
  if (!response.ok) {
    await call(`/v1/runs/${encodeURIComponent(runId)}`); // throws the API's error
    return undefined;
  }
  const text = await response.text();
  const parsed = JSON.parse(text) as Record<string, unknown>;
  if (!('input' in parsed)) return undefined;
  const { input: _input, ...rest } = parsed;
  const head = JSON.stringify(rest);
  const marker = `${head.slice(0, -1)},"input":`;
  if (!text.startsWith(marker)) return JSON.stringify(parsed['input'], null, 2);
  return indentJson(text.slice(marker.length, -1));
}

/** Re-indents JSON text token by token: strings and numbers are copied as written. */
export function indentJson(text: string, unit = '  '): string {
  let out = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  const newline = () => `\n${unit.repeat(depth)}`;
  for (const ch of text) {
    if (inString) {
      out += ch;
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') continue;
    if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch === '{' || ch === '[') {
      depth++;
      out += ch + newline();
    } else if (ch === '}' || ch === ']') {
      depth--;
      const trimmed = out.replace(/\s+$/, '');
      out = trimmed.endsWith('{') || trimmed.endsWith('[') ? trimmed + ch : out + newline() + ch;
    } else if (ch === ',') out += ch + newline();
    else if (ch === ':') out += ': ';
    else out += ch;
  }
  return out;
}
