import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isOperator } from './is-operator.js';

const OPERATOR_TENANT = randomUUID();
const ALICE = randomUUID();

describe('operator authorisation by immutable ids', () => {
  const listed = { tenantId: OPERATOR_TENANT, objectIds: [ALICE], appRole: null };

  it('admits a listed object id of the operator tenant, whatever its e-mail address', () => {
    expect(isOperator({ tenantId: OPERATOR_TENANT, objectId: ALICE.toUpperCase(), roles: [] }, listed)).toBe(
      true,
    );
  });

  it('refuses an unlisted user of the operator tenant and a listed oid from another tenant', () => {
    expect(isOperator({ tenantId: OPERATOR_TENANT, objectId: randomUUID(), roles: [] }, listed)).toBe(false);
    expect(isOperator({ tenantId: randomUUID(), objectId: ALICE, roles: [] }, listed)).toBe(false);
  });

  it('admits the configured app role only within the operator tenant', () => {
    const byRole = { tenantId: OPERATOR_TENANT, objectIds: null, appRole: 'Operator' };
    expect(
      isOperator({ tenantId: OPERATOR_TENANT, objectId: randomUUID(), roles: ['Operator'] }, byRole),
    ).toBe(true);
    expect(isOperator({ tenantId: OPERATOR_TENANT, objectId: randomUUID(), roles: ['Reader'] }, byRole)).toBe(
      false,
    );
    // Any customer tenant can assign our app's roles to its own users: the tenant still decides.
    expect(isOperator({ tenantId: randomUUID(), objectId: randomUUID(), roles: ['Operator'] }, byRole)).toBe(
      false,
    );
  });

  it('admits every user of the operator tenant when nothing is configured (demo mode), nobody without a tenant', () => {
    const demo = { tenantId: OPERATOR_TENANT, objectIds: null, appRole: null };
    expect(isOperator({ tenantId: OPERATOR_TENANT, objectId: randomUUID(), roles: [] }, demo)).toBe(true);
    expect(isOperator({ tenantId: randomUUID(), objectId: randomUUID(), roles: [] }, demo)).toBe(false);
    expect(
      isOperator(
        { tenantId: OPERATOR_TENANT, objectId: ALICE, roles: ['Operator'] },
        { tenantId: null, objectIds: null, appRole: null },
      ),
    ).toBe(false);
  });
});
