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
