import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { findRightsRequest, type RightsRequestRow, recordRequestEvent } from './rights-requests.rows.js';

/** The operator closes a request handled by hand (correction made, objection honoured, or refused). */
export async function closeRightsRequest(
  db: Database,
  id: string,
  closing: { status: 'completed' | 'rejected'; note: string; actor: string },
  now: Date,
): Promise<RightsRequestRow> {
  return db.transaction(async (tx) => {
    const request = await findRightsRequest(tx, id);
    if (!request) throw new AppError(404, 'rights_request_not_found', 'No such request.');
    if (request.status !== 'open')
      throw new AppError(409, 'rights_request_closed', 'This request is not open.');
    await tx.query(
      `update rights_requests set status = $2, completed_at = $3,
              result = coalesce(result, '{}'::jsonb) || jsonb_build_object('note', $4::text) where id = $1`,
      [id, closing.status, now, closing.note],
    );
    await recordRequestEvent(tx, {
      requestId: id,
      actor: closing.actor,
      action: closing.status === 'completed' ? 'completed' : 'rejected',
      outcome: 'done',
      detail: { note: closing.note },
      at: now,
    });
    return { ...request, status: closing.status, completed_at: now };
  });
}
