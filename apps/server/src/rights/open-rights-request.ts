import type { Queryable } from '../db/database.js';
import {
  oneMonthAfter,
  REQUEST_COLUMNS,
  type RequestChannel,
  type RequestKind,
  type RightsRequestRow,
  recordRequestEvent,
} from './rights-requests.rows.js';

/**
 * Opens a request of a person whose identity is already established (signed in, or their
 * administrator, or the operator): received now, due in one month, with the identity check named.
 */
export async function openRightsRequest(
  db: Queryable,
  request: {
    kind: RequestKind;
    channel: RequestChannel;
    language: 'en' | 'de';
    subjectEmail?: string | null;
    subjectUserId?: string | null;
    tenantId?: string | null;
    details?: string | null;
    identityCheck: string;
    requestedBy?: string | null;
    actor: string;
  },
  now: Date,
): Promise<RightsRequestRow> {
  const inserted = await db.query<RightsRequestRow>(
    `insert into rights_requests (kind, channel, status, language, subject_email, subject_user_id,
                                  tenant_id, details, received_at, confirmed_at, due_at,
                                  identity_check, requested_by)
     values ($1, $2, 'open', $3, $4, $5, $6, $7, $8, $8, $9, $10, $11)
     returning ${REQUEST_COLUMNS}`,
    [
      request.kind,
      request.channel,
      request.language,
      request.subjectEmail?.toLowerCase() ?? null,
      request.subjectUserId ?? null,
      request.tenantId ?? null,
      request.details ?? null,
      now,
      oneMonthAfter(now),
      request.identityCheck,
      request.requestedBy ?? null,
    ],
  );
  const row = inserted.rows[0] as RightsRequestRow;
  await recordRequestEvent(db, {
    requestId: row.id,
    actor: request.actor,
    action: 'received',
    outcome: 'done',
    detail: { kind: request.kind, channel: request.channel, identityCheck: request.identityCheck },
    at: now,
  });
  return row;
}
