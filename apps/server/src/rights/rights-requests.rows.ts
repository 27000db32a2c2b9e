import type { Queryable } from '../db/database.js';

export type RequestKind = 'access' | 'rectification' | 'erasure' | 'restriction' | 'objection';
export type RequestChannel = 'self_service' | 'website' | 'administrator' | 'operator';
export type RequestStatus = 'awaiting_confirmation' | 'open' | 'completed' | 'rejected';

export interface RightsRequestRow {
  id: string;
  kind: RequestKind;
  channel: RequestChannel;
  status: RequestStatus;
  language: 'en' | 'de';
  subject_email: string | null;
  subject_user_id: string | null;
  tenant_id: string | null;
  details: string | null;
  received_at: Date;
  confirmed_at: Date | null;
  due_at: Date | null;
  extended_at: Date | null;
  extension_reason: string | null;
  identity_check: string | null;
  completed_at: Date | null;
  result: unknown;
  requested_by: string | null;
}

export const REQUEST_COLUMNS = `id, kind, channel, status, language, subject_email, subject_user_id, tenant_id,
  details, received_at, confirmed_at, due_at, extended_at, extension_reason, identity_check,
  completed_at, result, requested_by`;

/** One month from receipt (Art. 12(3) GDPR): the same day of the next month, or its last day. */
export function oneMonthAfter(date: Date, months = 1): Date {
  const due = new Date(date);
  const day = due.getUTCDate();
  due.setUTCDate(1);
  due.setUTCMonth(due.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(due.getUTCFullYear(), due.getUTCMonth() + 1, 0)).getUTCDate();
  due.setUTCDate(Math.min(day, lastDay));
  return due;
}

/** Appends to the request's trail (the table refuses updates and deletes: see 0300). */
export async function recordRequestEvent(
  db: Queryable,
  event: {
    requestId: string;
    actor: string;
    action: string;
    outcome: 'done' | 'failed' | 'info';
    detail?: unknown;
    at: Date;
  },
): Promise<void> {
  await db.query(
    `insert into rights_request_events (request_id, occurred_at, actor, action, outcome, detail)
     values ($1, $2, $3, $4, $5, $6::jsonb)`,
    [
      event.requestId,
      event.at,
      event.actor.slice(0, 320),
      event.action,
      event.outcome,
      event.detail === undefined ? null : JSON.stringify(event.detail),
    ],
  );
}

export async function findRightsRequest(db: Queryable, id: string): Promise<RightsRequestRow | null> {
  const found = await db.query<RightsRequestRow>(
    `select ${REQUEST_COLUMNS} from rights_requests where id = $1`,
    [id],
  );
  return found.rows[0] ?? null;
}
