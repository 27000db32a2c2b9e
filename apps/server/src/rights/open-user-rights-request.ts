import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { openRightsRequest } from './open-rights-request.js';
import type { RequestKind, RightsRequestRow } from './rights-requests.rows.js';

/** A Microsoft 365 user's request, made by themselves or by their administrator. */
export interface UserRightsCaller {
  tenantId: string;
  userId: string;
  channel: 'self_service' | 'administrator';
  actor: string;
  language: 'en' | 'de';
}

/**
 * Opens the request of a user of the tenant whose transaction `tx` is. No request is recorded for an
 * id that is not one of the tenant's users: an administrator's typo, or another tenant's id, must
 * leave no trace (and is answered as any row not ours).
 */
export async function openUserRightsRequest(
  tx: Queryable,
  kind: Extract<RequestKind, 'access' | 'erasure'>,
  who: UserRightsCaller,
  now: Date,
): Promise<RightsRequestRow> {
  const exists = await tx.query('select 1 from users where id = $1 and tenant_id = $2', [
    who.userId,
    who.tenantId,
  ]);
  if (exists.rowCount === 0) throw new AppError(404, 'user_not_found', 'No such user in your organisation.');
  return openRightsRequest(
    tx,
    {
      kind,
      channel: who.channel,
      language: who.language,
      subjectUserId: who.userId,
      tenantId: who.tenantId,
      // The sign-in proves a self-service requester; an administrator answers for their own tenant.
      identityCheck: who.channel === 'self_service' ? 'microsoft_365_sign_in' : 'tenant_administrator',
      requestedBy: who.channel === 'administrator' ? who.actor : null,
      actor: who.actor,
    },
    now,
  );
}
