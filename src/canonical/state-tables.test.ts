import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LedgerlinkError } from './errors.js';
import {
  canTransition,
  isTerminal,
  jobStatuses,
  jobTransitions,
  runStatuses,
  runTransitions,
  supplierStatuses,
  supplierTransitions,
  transition,
  type TransitionTable,
} from './state-tables.js';
import { expectCodedError } from '../../test/helpers/coded-errors.js';

function illegal(fn: () => unknown): LedgerlinkError {
  const error = expectCodedError('LL_ERR_ILLEGAL_TRANSITION', fn);
  assert.equal(error.status, 409);
  return error;
}

/** Every pair not listed in the table must be refused. */
function assertExactly(
  table: TransitionTable,
  states: readonly string[],
  allowed: ReadonlyArray<readonly [string, string]>,
): void {
  const expected = new Set(allowed.map(([from, to]) => `${from}>${to}`));
  for (const from of states) {
    for (const to of states) {
      assert.equal(canTransition(table, from, to), expected.has(`${from}>${to}`), `${from} → ${to}`);
    }
  }
}

void describe('supplier lifecycle', () => {
  void it('allows exactly requested → approved → active ↔ blocked_for_payment → inactive', () => {
    assertExactly(supplierTransitions, supplierStatuses, [
      ['requested', 'approved'],
      ['approved', 'active'],
      ['active', 'blocked_for_payment'],
      ['blocked_for_payment', 'active'],
      ['active', 'inactive'],
      ['blocked_for_payment', 'inactive'],
    ]);
    assert.equal(
      transition(supplierTransitions, 'active', 'blocked_for_payment', 'supplier S-1'),
      'blocked_for_payment',
    );
  });

  void it('throws the coded error on an illegal move, naming subject and allowed moves', () => {
    const error = illegal(() => transition(supplierTransitions, 'requested', 'active', 'supplier S-1'));
    assert.match(error.message, /supplier S-1 cannot move from requested to active/);
    assert.deepEqual(error.details[0]?.allowed, ['approved']);
    illegal(() => transition(supplierTransitions, 'inactive', 'active', 'supplier S-1'));
    illegal(() => transition(supplierTransitions, 'active', 'active', 'supplier S-1'));
  });
});

void describe('run status', () => {
  void it('allows the designed moves only', () => {
    const afterAStep = ['running', 'waiting', 'succeeded', 'exception'] as const;
    assertExactly(runTransitions, runStatuses, [
      ...(['pending', 'running', 'waiting'] as const).flatMap((from) =>
        afterAStep.map((to) => [from, to] as [typeof from, typeof to]),
      ),
      ['exception', 'pending'],
      ['exception', 'running'],
      ['exception', 'resolved'],
      ['exception', 'ignored'],
    ]);
  });

  void it('treats succeeded, resolved and ignored as terminal', () => {
    for (const status of runStatuses) {
      assert.equal(isTerminal(runTransitions, status), ['succeeded', 'resolved', 'ignored'].includes(status), status);
    }
    illegal(() => transition(runTransitions, 'succeeded', 'running', 'run r-1'));
    illegal(() => transition(runTransitions, 'pending', 'resolved', 'run r-1'));
    illegal(() => transition(runTransitions, 'waiting', 'pending', 'run r-1'));
    illegal(() => transition(runTransitions, 'resolved', 'exception', 'run r-1'));
  });
});

void describe('job status', () => {
  void it('allows queued → running → succeeded | queued | dead and dead → queued', () => {
    assertExactly(jobTransitions, jobStatuses, [
      ['queued', 'running'],
      ['running', 'succeeded'],
      ['running', 'queued'],
      ['running', 'dead'],
      ['dead', 'queued'],
    ]);
    illegal(() => transition(jobTransitions, 'succeeded', 'queued', 'job j-1'));
    illegal(() => transition(jobTransitions, 'queued', 'dead', 'job j-1'));
  });
});

void describe('states read from storage', () => {
  void it('refuses unknown states and inherited names', () => {
    const fromDb = (value: string) => value as 'queued';
    const unknown = illegal(() => transition(jobTransitions, fromDb('paused'), 'running', 'job j-1'));
    assert.match(unknown.message, /unknown state/);
    illegal(() => transition(jobTransitions, fromDb('toString'), 'running', 'job j-1'));
    assert.equal(canTransition(jobTransitions, 'queued', 'constructor'), false);
  });

  void it('tables only name their own states', () => {
    for (const [table, states] of [
      [supplierTransitions, supplierStatuses],
      [runTransitions, runStatuses],
      [jobTransitions, jobStatuses],
    ] as const) {
      assert.deepEqual(Object.keys(table).sort(), [...states].sort());
      for (const targets of Object.values(table) as string[][]) {
        for (const target of targets) assert.ok((states as readonly string[]).includes(target));
      }
    }
  });
});
