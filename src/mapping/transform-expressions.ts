/**
 * JSONata transforms: compiled once per set, evaluated per call under guards.
 *
 * No float can arise inside a transform: a set is refused when an expression has a fractional or
 * unsafe numeric literal, uses the `/` operator, or names `$number`, `$average`, `$sqrt`, `$power`,
 * `$eval` (which could do any of these at run time), or the non-deterministic `$random`, `$now` and
 * `$millis` (a replay must map the same way). Amounts are decimal strings and go through the `$dec…`
 * functions. Input numbers must be safe integers (a JsonNumber becomes its exact decimal text, any
 * other number is LL_ERR_MONEY_UNSAFE_NUMBER), and an output holding a number that is not a safe
 * integer is refused, so only integers (counts, comparisons) are numbers on either side.
 *
 * Each evaluation runs under JSONata's own guard rails, checked at every evaluation step: a time
 * limit (a loop or runaway recursion fails with LL_ERR_MAPPING_TRANSFORM_FAILED instead of holding
 * the worker), a depth limit and a sequence-length limit.
 */
import jsonata from 'jsonata';
import { LedgerlinkError, isLedgerlinkError } from '../canonical/errors.js';
import { JsonNumber } from '../canonical/json-number.js';
import { decimalFunctions } from './decimal-functions.js';

export interface TransformLimits {
  /** Wall-clock limit of one evaluation. */
  readonly timeoutMs: number;
  /** Deepest evaluation stack allowed. */
  readonly maxDepth: number;
  /** Longest sequence an expression may build. */
  readonly maxSequence: number;
}

export const defaultTransformLimits: TransformLimits = { timeoutMs: 1_000, maxDepth: 500, maxSequence: 100_000 };

const FORBIDDEN_FUNCTIONS: Readonly<Record<string, string>> = {
  number: 'converts text to a float; keep amounts as strings and use the $dec functions',
  average: 'divides in floating point; use $decDiv($decSum(list), count, scale)',
  sqrt: 'computes in floating point',
  power: 'computes in floating point',
  eval: 'evaluates text at run time, beyond the checks made when the set is loaded',
  random: 'is not deterministic; a replay must map the same way',
  now: 'is not deterministic; take dates from the input',
  millis: 'is not deterministic; take times from the input',
};

export interface CompiledTransform {
  readonly name: string;
  readonly expression: jsonata.Expression;
}

export interface TransformProblem {
  readonly message: string;
  readonly position?: number;
}

interface AstNode {
  readonly type?: unknown;
  readonly value?: unknown;
  readonly position?: unknown;
}

/** Walks every node of the parsed expression and lists what would let a float or chance in. */
function floatRisks(ast: unknown): TransformProblem[] {
  const problems: TransformProblem[] = [];
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const { type, value, position } = node as AstNode;
    const at = typeof position === 'number' ? { position } : {};
    if (type === 'number' && typeof value === 'number' && !Number.isSafeInteger(value)) {
      problems.push({
        message: `numeric literal ${value} would be a float; write it as a string ("${value}") and use the $dec functions`,
        ...at,
      });
    } else if (type === 'binary' && value === '/') {
      problems.push({ message: 'the / operator divides in floating point; use $decDiv(a, b, scale)', ...at });
    } else if (type === 'variable' && typeof value === 'string' && FORBIDDEN_FUNCTIONS[value] !== undefined) {
      problems.push({ message: `$${value} ${FORBIDDEN_FUNCTIONS[value]}`, ...at });
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(ast);
  return problems;
}

/** Compiles one transform with the decimal functions registered; answers the problems when it cannot. */
export function compileTransform(
  name: string,
  text: string,
  limits: TransformLimits,
): CompiledTransform | TransformProblem[] {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(text, { timeout: limits.timeoutMs, stack: limits.maxDepth, sequence: limits.maxSequence });
  } catch (error) {
    const e = error as { message?: unknown; position?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(error);
    return [
      { message: `does not compile: ${message}`, ...(typeof e.position === 'number' ? { position: e.position } : {}) },
    ];
  }
  const risks = floatRisks(expression.ast());
  if (risks.length > 0) return risks;
  for (const [fn, implementation] of Object.entries(decimalFunctions)) {
    expression.registerFunction(fn, implementation as (...args: unknown[]) => unknown);
  }
  return { name, expression };
}

function unsafeNumber(path: string, value: number): never {
  throw new LedgerlinkError(
    'LL_ERR_MONEY_UNSAFE_NUMBER',
    `Transform input holds the number ${value} at ${path || '(root)'}; amounts must be decimal strings`,
    {
      details: [
        {
          path: path || '(root)',
          message: 'numbers in transform input must be safe integers; send amounts as decimal strings',
        },
      ],
    },
  );
}

const join = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

/** A plain copy of the input: JsonNumbers become their exact text; unsafe numbers are refused. */
export function prepareInput(value: unknown, path = ''): unknown {
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : unsafeNumber(path, value);
  if (Array.isArray(value)) return value.map((item, i) => prepareInput(item, join(path, i)));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = prepareInput(item, join(path, key));
    return out;
  }
  return value;
}

function transformFailed(
  name: string,
  message: string,
  extra: Record<string, unknown> = {},
  cause?: unknown,
): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_MAPPING_TRANSFORM_FAILED', `Transform ${name}: ${message}`, {
    details: [{ path: `transforms.${name}`, message, ...extra }],
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Plain JSON out of JSONata's sequences; numbers other than safe integers and functions are refused. */
function cleanOutput(name: string, value: unknown, path = ''): unknown {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    throw transformFailed(
      name,
      `produced the number ${value} at ${path || '(root)'}; amounts must be decimal strings from the $dec functions`,
    );
  }
  if (typeof value === 'function') throw transformFailed(name, `produced a function at ${path || '(root)'}`);
  if (Array.isArray(value)) return value.map((item, i) => cleanOutput(name, item, join(path, i)));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      if (item !== undefined) out[key] = cleanOutput(name, item, join(path, key));
    return out;
  }
  return value;
}

/** Evaluates a compiled transform over `input`; every failure is a coded error naming the transform. */
export async function evaluateTransform(compiled: CompiledTransform, input: unknown): Promise<unknown> {
  const prepared = prepareInput(input);
  let output: unknown;
  try {
    output = await compiled.expression.evaluate(prepared);
  } catch (error) {
    if (isLedgerlinkError(error)) {
      throw new LedgerlinkError(error.code, `Transform ${compiled.name}: ${error.message}`, {
        details: [...error.details.map((d) => ({ ...d, path: `transforms.${compiled.name}` }))],
        cause: error,
      });
    }
    const e = error as { code?: unknown; message?: unknown; position?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(error);
    throw transformFailed(
      compiled.name,
      message,
      {
        ...(typeof e.code === 'string' ? { jsonataCode: e.code } : {}),
        ...(typeof e.position === 'number' ? { position: e.position } : {}),
      },
      error,
    );
  }
  return output === undefined ? undefined : cleanOutput(compiled.name, output);
}
