import { type Database, withTenant } from '../db/database.js';
import { completeRightsRequest } from './complete-rights-request.js';
import { exportSubjectData, type SubjectExport } from './export-subject-data.js';
import { openUserRightsRequest, type UserRightsCaller } from './open-user-rights-request.js';
import { summariseExport } from './summarise-export.js';

/**
 * A Microsoft 365 user's export (Art. 15, 20), by themselves or by their administrator: recorded as
 * an answered request, then everything keyed to the user within their tenant, under row-level
 * security, so no other tenant's row can appear.
 */
export async function exportUserData(db: Database, who: UserRightsCaller, now: Date): Promise<SubjectExport> {
  return withTenant(db, who.tenantId, async (tx) => {
    const request = await openUserRightsRequest(tx, 'access', who, now);
    const data = await exportSubjectData(
      tx,
      { by: 'userId', value: who.userId, tenantId: who.tenantId },
      now,
    );
    await completeRightsRequest(
      tx,
      request.id,
      { actor: who.actor, action: 'exported', result: summariseExport(data) },
      now,
    );
    return data;
  });
}
