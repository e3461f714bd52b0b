import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectCodedError } from '../../test/helpers/coded-errors.js';
import {
  STATIC_ACTIONS,
  STATIC_ROLES,
  assertAuthorized,
  authorize,
  eventPostAction,
  isAction,
  parseRole,
  parseRoles,
  serviceRole,
  type StaticAction,
  type StaticRole,
} from './access-roles.js';

/** The matrix as the product promises it, written out independently of roleMatrix. */
const expected: Record<StaticRole, readonly StaticAction[]> = {
  admin: STATIC_ACTIONS,
  operator: [
    'coding:validate',
    'runs:read',
    'trace:read',
    'exceptions:read',
    'exceptions:act',
    'mappings:read',
    'master-data:read',
    'reconciliations:read',
    'reconciliations:run',
    'kpis:read',
  ],
  auditor: [
    'runs:read',
    'trace:read',
    'exceptions:read',
    'mappings:read',
    'master-data:read',
    'reconciliations:read',
    'kpis:read',
    'audit:read',
  ],
  'mapping-author': ['mappings:read', 'mappings:author', 'master-data:read'],
  'mapping-approver': ['mappings:read', 'mappings:approve', 'master-data:read'],
};

describe('role matrix', () => {
  test('every static role × static action is exactly as specified', () => {
    for (const role of STATIC_ROLES) {
      for (const action of STATIC_ACTIONS) {
        assert.equal(authorize([role], action), expected[role].includes(action), `${role} × ${action}`);
      }
    }
  });

  test('admin can do everything, including posting events for any system', () => {
    for (const action of STATIC_ACTIONS) assert.ok(authorize(['admin'], action), action);
    assert.ok(authorize(['admin'], 'events:post:erp'));
    assert.ok(authorize(['admin'], 'events:post:expense'));
  });

  test('auditor reads (audit included) but cannot retry, replay, resolve or ignore exceptions', () => {
    assert.equal(authorize(['auditor'], 'exceptions:act'), false);
    assert.ok(authorize(['auditor'], 'exceptions:read'));
    assert.ok(authorize(['auditor'], 'audit:read'));
    assert.equal(authorize(['auditor'], 'events:post:erp'), false);
    assert.equal(authorize(['auditor'], 'tokens:manage'), false);
    expectCodedError('LL_ERR_FORBIDDEN', () => assertAuthorized(['auditor'], 'exceptions:act'));
  });

  test('operator acts on exceptions but does not manage tokens, keys or mappings', () => {
    assert.ok(authorize(['operator'], 'exceptions:act'));
    for (const action of [
      'tokens:manage',
      'keys:manage',
      'mappings:author',
      'mappings:approve',
      'audit:read',
      'events:post:erp',
    ]) {
      assert.equal(authorize(['operator'], action), false, action);
    }
  });

  test('service:erp posts events for erp only', () => {
    assert.ok(authorize(['service:erp'], 'events:post:erp'));
    assert.equal(authorize(['service:erp'], 'events:post:expense'), false);
    assert.equal(authorize(['service:erp'], 'events:post:erp2'), false);
    assert.ok(authorize(['service:erp'], 'coding:validate'));
    for (const action of STATIC_ACTIONS.filter((a) => a !== 'coding:validate')) {
      assert.equal(authorize(['service:erp'], action), false, action);
    }
    const error = expectCodedError('LL_ERR_FORBIDDEN', () =>
      assertAuthorized(['service:erp'], eventPostAction('expense')),
    );
    assert.equal(error.status, 403);
    assert.equal(error.details[0]?.['action'], 'events:post:expense');
  });

  test('roles combine as a union; no roles allow nothing', () => {
    assert.ok(authorize(['service:erp', 'service:expense'], 'events:post:expense'));
    assert.ok(authorize(['auditor', 'operator'], 'exceptions:act'));
    assert.equal(authorize([], 'runs:read'), false);
    expectCodedError('LL_ERR_FORBIDDEN', () => assertAuthorized([], 'runs:read'));
  });

  test('mapping author and approver are separate roles', () => {
    assert.equal(authorize(['mapping-author'], 'mappings:approve'), false);
    assert.equal(authorize(['mapping-approver'], 'mappings:author'), false);
  });

  test('unknown actions and roles are denied, even for admin', () => {
    for (const action of ['runs:write', 'events:post:', 'events:post:ERP', 'events:post:a/b', '', 'admin']) {
      assert.equal(isAction(action), false, action);
      assert.equal(authorize(['admin'], action), false, action);
    }
    assert.equal(authorize(['root', 'service:', 'service:Bad'], 'runs:read'), false);
    assert.equal(authorize(['service:'], 'events:post:'), false);
  });
});

describe('role parsing', () => {
  test('static roles and service:<system> parse; others are LL_ERR_BAD_REQUEST', () => {
    for (const role of STATIC_ROLES) assert.equal(parseRole(role), role);
    assert.equal(serviceRole('erp'), 'service:erp');
    assert.deepEqual(parseRoles(['operator', 'operator', 'service:expense']), ['operator', 'service:expense']);
    for (const bad of ['superuser', 'service:', 'service:ERP', 'service:a b', 'Admin']) {
      expectCodedError('LL_ERR_BAD_REQUEST', () => parseRole(bad));
    }
    expectCodedError('LL_ERR_BAD_REQUEST', () => parseRoles([]));
  });
});
