import { type Database, withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { completeRightsRequest } from './complete-rights-request.js';
import { exportSubjectData, type SubjectExport } from './export-subject-data.js';
import { openRightsRequest } from './open-rights-request.js';
import { summariseExport } from './summarise-export.js';

/**
 * A Microsoft 365 user's export (Art. 15, 20), by themselves or by their administrator: recorded as
 * an answered request, then everything keyed to the user within their tenant, under row-level
 * security, so no other tenant's row can appear.
 */
export async function exportUserData(
  db: Database,
  who: {
    tenantId: string;
    userId: string;
    channel: 'self_service' | 'administrator';
    actor: string;
    language: 'en' | 'de';
  },
  now: Date,
): Promise<SubjectExport> {
  return withTenant(db, who.tenantId, async (tx) => {
    // No request is recorded for an id that is not one of the tenant's users: an administrator's typo,
    // or another tenant's id, must leave no trace (and answer as for any row not ours).
    const exists = await tx.query('select 1 from users where id = $1 and tenant_id = $2', [
      who.userId,
      who.tenantId,
    ]);
    if (exists.rowCount === 0)
      throw new AppError(404, 'user_not_found', 'No such user in your organisation.');
    const request = await openRightsRequest(
      tx,
      {
        kind: 'access',
        channel: who.channel,
        language: who.language,
        subjectUserId: who.userId,
        tenantId: who.tenantId,
        identityCheck: who.channel === 'self_service' ? 'microsoft_365_sign_in' : 'tenant_administrator',
        requestedBy: who.channel === 'administrator' ? who.actor : null,
        actor: who.actor,
      },
      now,
    );
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
