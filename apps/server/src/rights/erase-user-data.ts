import { type Database, withTenant } from '../db/database.js';
import { bumpTenantConfig } from '../targets/bump-tenant-config.js';
import { completeRightsRequest } from './complete-rights-request.js';
import { type ErasureOutcome, eraseSubjectData } from './erase-subject-data.js';
import { openUserRightsRequest, type UserRightsCaller } from './open-user-rights-request.js';

/**
 * Erases a Microsoft 365 user of a tenant (Art. 17), by themselves or by their administrator for a
 * departed employee: the user row and everything keyed to it; legal holds apply (audit entries keep
 * the change, with the name replaced). A later sign-in of the same person starts afresh. The
 * caller drops its own process's cached sign-ins after the commit (`tenantConfig.invalidate`).
 */
export async function eraseUserData(
  db: Database,
  who: UserRightsCaller,
  now: Date,
): Promise<{ requestId: string; outcomes: ErasureOutcome[] }> {
  return withTenant(db, who.tenantId, async (tx) => {
    const request = await openUserRightsRequest(tx, 'erasure', who, now);
    const outcomes = await eraseSubjectData(
      tx,
      { by: 'userId', value: who.userId, tenantId: who.tenantId },
      { now, requestId: request.id, channel: who.channel },
    );
    await completeRightsRequest(
      tx,
      request.id,
      { actor: who.actor, action: 'erased', result: { outcomes } },
      now,
    );
    // Every server drops the user it cached with the sign-in: the next request with a still valid
    // token records the person afresh rather than acting as a user row that no longer exists.
    await bumpTenantConfig(tx, who.tenantId);
    return { requestId: request.id, outcomes };
  });
}
