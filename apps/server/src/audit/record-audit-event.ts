import type { Queryable } from '../db/database.js';

/** Who made a change: a signed-in user of the tenant, or Mailissa itself (a job). */
export type AuditActor = { userId: string; name: string } | { system: string };

export interface AuditEvent {
  /** `<area>.<verb>`, e.g. `licence.assigned`, `target.updated`, `role.revoked`. */
  action: string;
  subject: { type: string; id?: string | null; label?: string | null };
  /** The state before and after the change; never a secret, token or mail content. */
  before?: unknown;
  after?: unknown;
}

/**
 * Records one audit entry in the caller's transaction, so a change and its entry commit together.
 * Must run inside withTenant(); the entry carries the tenant id like every tenant row.
 */
export async function recordAuditEvent(
  tx: Queryable,
  tenantId: string,
  actor: AuditActor,
  event: AuditEvent,
  at?: Date,
): Promise<void> {
  const actorUserId = 'userId' in actor ? actor.userId : null;
  const actorName = ('userId' in actor ? actor.name : `Mailissa (${actor.system})`).slice(0, 256);
  await tx.query(
    `insert into audit_events
       (tenant_id, occurred_at, actor_user_id, actor_name, action, subject_type, subject_id, subject_label, before, after)
     values ($1, coalesce($2, now()), $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb)`,
    [
      tenantId,
      at ?? null,
      actorUserId,
      actorName,
      event.action,
      event.subject.type,
      event.subject.id ?? null,
      event.subject.label?.slice(0, 512) ?? null,
      event.before === undefined ? null : JSON.stringify(event.before),
      event.after === undefined ? null : JSON.stringify(event.after),
    ],
  );
}
