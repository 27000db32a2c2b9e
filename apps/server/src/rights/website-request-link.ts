import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../db/database.js';
import {
  oneMonthAfter,
  REQUEST_COLUMNS,
  type RequestKind,
  type RightsRequestRow,
  recordRequestEvent,
} from './rights-requests.rows.js';

/** How long the link that proves control of the address works. */
export const LINK_VALIDITY_MS = 24 * 3_600_000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * Records a website request that waits for its e-mail link, and returns the link's secret: only its
 * hash is stored, so a database reader cannot confirm a request for someone else.
 */
export async function submitWebsiteRequest(
  db: Queryable,
  request: { kind: RequestKind; email: string; details: string | null; language: 'en' | 'de' },
  now: Date,
): Promise<{ requestId: string; token: string }> {
  const token = randomBytes(32).toString('base64url');
  const inserted = await db.query<{ id: string }>(
    `insert into rights_requests (kind, channel, status, language, subject_email, details, received_at,
                                  confirm_token_hash, confirm_expires_at)
     values ($1, 'website', 'awaiting_confirmation', $2, $3, $4, $5, $6, $7) returning id`,
    [
      request.kind,
      request.language,
      request.email.toLowerCase(),
      request.details,
      now,
      hashToken(token),
      new Date(now.getTime() + LINK_VALIDITY_MS),
    ],
  );
  const requestId = inserted.rows[0]?.id ?? '';
  await recordRequestEvent(db, {
    requestId,
    actor: 'website',
    action: 'link_sent',
    outcome: 'done',
    detail: { kind: request.kind },
    at: now,
  });
  return { requestId, token };
}

/** The request a still-valid link belongs to (for the confirmation page), without using the link up. */
export async function findRequestByLink(
  db: Queryable,
  token: string,
  now: Date,
): Promise<RightsRequestRow | null> {
  const found = await db.query<RightsRequestRow>(
    `select ${REQUEST_COLUMNS} from rights_requests
      where confirm_token_hash = $1 and status = 'awaiting_confirmation' and confirm_expires_at > $2`,
    [hashToken(token), now],
  );
  return found.rows[0] ?? null;
}

/**
 * Uses the link up: the request is received now (the one-month deadline starts), the identity check
 * is recorded, and the link's hash is cleared so a second click finds nothing.
 */
export async function confirmWebsiteRequest(
  db: Database,
  token: string,
  now: Date,
): Promise<RightsRequestRow | null> {
  return db.transaction(async (tx) => {
    const updated = await tx.query<RightsRequestRow>(
      `update rights_requests
          set status = 'open', confirmed_at = $2, due_at = $3, confirm_token_hash = null,
              identity_check = 'Control of the e-mail address proved by a single-use link'
        where confirm_token_hash = $1 and status = 'awaiting_confirmation' and confirm_expires_at > $2
        returning ${REQUEST_COLUMNS}`,
      [hashToken(token), now, oneMonthAfter(now)],
    );
    const row = updated.rows[0];
    if (!row) return null;
    await recordRequestEvent(tx, {
      requestId: row.id,
      actor: 'website',
      action: 'identity_confirmed',
      outcome: 'done',
      detail: { method: 'email_link' },
      at: now,
    });
    return row;
  });
}
