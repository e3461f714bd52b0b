/** Asserts that a call fails with a LedgerlinkError of the given code, and hands the error back. */
import assert from 'node:assert/strict';
import { LedgerlinkError, type ErrorCode } from '../../src/canonical/errors.js';

export function expectCodedError(code: ErrorCode, fn: () => unknown): LedgerlinkError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof LedgerlinkError, `expected LedgerlinkError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

/** The async form: awaits the promise and checks its rejection's code and, optionally, message. */
export async function assertCoded(
  promise: Promise<unknown>,
  code: ErrorCode,
  message?: RegExp,
): Promise<LedgerlinkError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof LedgerlinkError, `expected LedgerlinkError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (message !== undefined) assert.match(caught.message, message);
  return caught;
}
