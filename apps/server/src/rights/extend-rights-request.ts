import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import {
  findRightsRequest,
  oneMonthAfter,
  type RightsRequestRow,
  recordRequestEvent,
} from './rights-requests.rows.js';

/**
 * Extends an open request's deadline by two months (Art. 12(3) GDPR: once, for complex or numerous
 * requests, with the reason told to the person within the first month, so only before the deadline);
 * the caller mails the reason.
 */
export async function extendRightsRequest(
  db: Database,
  id: string,
  extension: { reason: string; actor: string },
  now: Date,
): Promise<RightsRequestRow> {
  return db.transaction(async (tx) => {
    const request = await findRightsRequest(tx, id);
    if (!request) throw new AppError(404, 'rights_request_not_found', 'No such request.');
    if (request.status !== 'open' || !request.due_at) {
      throw new AppError(409, 'rights_request_closed', 'Only an open request can be extended.');
    }
    if (request.extended_at) {
      throw new AppError(
        409,
        'rights_request_already_extended',
        'This request was extended already; the law allows it once.',
      );
    }
    // The person must hear of the extension within the first month (Art. 12(3) sentence 3): once the
    // deadline has passed, it is too late to extend; the request is answered late, not extended.
    if (new Date(request.due_at) <= now) {
      throw new AppError(
        409,
        'rights_request_past_deadline',
        'The deadline has passed: an extension had to be sent before it. Answer the request now.',
      );
    }
    const dueAt = oneMonthAfter(new Date(request.due_at), 2);
    await tx.query(
      'update rights_requests set due_at = $2, extended_at = $3, extension_reason = $4 where id = $1',
      [id, dueAt, now, extension.reason],
    );
    await recordRequestEvent(tx, {
      requestId: id,
      actor: extension.actor,
      action: 'deadline_extended',
      outcome: 'done',
      detail: { dueAt: dueAt.toISOString(), reason: extension.reason },
      at: now,
    });
    return { ...request, due_at: dueAt, extended_at: now, extension_reason: extension.reason };
  });
}
