import { hash, randomBytes } from 'node:crypto';
import type { Role } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { rolesOf } from '../tenancy/tenancy.rows.js';

export type SessionApp = 'portal' | 'operator';

export interface PortalSession {
  app: 'portal';
  sessionId: string;
  tenantId: string;
  tenantName: string;
  userId: string;
  email: string;
  displayName: string;
  roles: Role[];
  /** The inactivity sign-out of this tenant's portal (tenant settings; the server's default otherwise). */
  idleMinutes: number;
  /** The tenant's language for users whose own language Mailissa does not speak (tenant settings). */
  defaultLanguage: 'en' | 'de';
  lastActivityAt: Date;
  expiresAt: Date;
}

export interface OperatorSession {
  app: 'operator';
  sessionId: string;
  email: string;
  displayName: string;
  idleMinutes: number;
  lastActivityAt: Date;
  expiresAt: Date;
}

export type WebSession = PortalSession | OperatorSession;

/** A session lasts at most this long, however active it is. */
const ABSOLUTE_LIFETIME_HOURS = 12;
/** Activity is written at most this often, so reads do not turn every request into a write. */
const ACTIVITY_WRITE_INTERVAL_SECONDS = 30;

/** A one-shot hash: asked on every signed-in request, and it leaves no native object to collect. */
function hashToken(token: string): string {
  return hash('sha256', token, 'base64url');
}

export async function createWebSession(
  db: Queryable,
  session:
    | { app: 'portal'; tenantId: string; userId: string; displayName: string }
    | { app: 'operator'; operatorEmail: string; displayName: string },
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ABSOLUTE_LIFETIME_HOURS * 3600_000);
  await db.query(
    `insert into web_sessions (token_hash, app, tenant_id, user_id, operator_email, display_name,
                               created_at, last_activity_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $7, $8)`,
    [
      hashToken(token),
      session.app,
      session.app === 'portal' ? session.tenantId : null,
      session.app === 'portal' ? session.userId : null,
      session.app === 'operator' ? session.operatorEmail : null,
      session.displayName.slice(0, 256),
      now,
      expiresAt,
    ],
  );
  return { token, expiresAt };
}

interface SessionRow {
  id: string;
  app: SessionApp;
  tenant_id: string | null;
  tenant_name: string | null;
  user_id: string | null;
  email: string | null;
  operator_email: string | null;
  display_name: string;
  is_user_admin: boolean | null;
  is_tenant_admin: boolean | null;
  idle_minutes: number;
  default_language: 'en' | 'de' | null;
  last_activity_at: Date;
  expires_at: Date;
}

/**
 * The live session behind a cookie token, or null when there is none, it expired or it was idle too
 * long. Looked up by token before any tenant is known, so it reads across tenants by the token hash.
 * Roles come from the users table on every call, so a role change applies to the next request; the
 * idle limit is the tenant's setting for portal sessions (3–60 minutes), `idleMinutes` otherwise.
 */
export async function findWebSession(
  db: Queryable,
  app: SessionApp,
  token: string,
  now: Date,
  idleMinutes: number,
  options: { touch: boolean },
): Promise<WebSession | null> {
  const result = await db.query<SessionRow>(
    `select * from (
       select s.id, s.app, s.tenant_id, t.name as tenant_name, s.user_id, u.email, s.operator_email,
              coalesce(u.display_name, s.display_name) as display_name,
              u.is_user_admin, u.is_tenant_admin, s.last_activity_at, s.expires_at,
              ${effectiveIdleMinutesSql('s', '$4')} as idle_minutes,
              (select ts.default_language from tenant_settings ts where ts.tenant_id = s.tenant_id)
                as default_language
         from web_sessions s
         left join users u on u.id = s.user_id and u.tenant_id = s.tenant_id
         left join tenants t on t.id = s.tenant_id
        where s.token_hash = $1 and s.app = $2 and s.expires_at > $3) as found
      where found.last_activity_at > $3::timestamptz - make_interval(mins => found.idle_minutes)`,
    [hashToken(token), app, now, idleMinutes],
  );
  const row = result.rows[0];
  if (!row) return null;
  let lastActivityAt = row.last_activity_at;
  if (options.touch && now.getTime() - lastActivityAt.getTime() > ACTIVITY_WRITE_INTERVAL_SECONDS * 1000) {
    await db.query('update web_sessions set last_activity_at = $2 where id = $1', [row.id, now]);
    lastActivityAt = now;
  }
  if (row.app === 'operator' && row.operator_email) {
    return {
      app: 'operator',
      sessionId: row.id,
      email: row.operator_email,
      displayName: row.display_name,
      idleMinutes: row.idle_minutes,
      lastActivityAt,
      expiresAt: row.expires_at,
    };
  }
  if (row.app === 'portal' && row.tenant_id && row.user_id && row.email !== null) {
    return {
      app: 'portal',
      sessionId: row.id,
      tenantId: row.tenant_id,
      tenantName: row.tenant_name ?? '',
      userId: row.user_id,
      email: row.email,
      displayName: row.display_name,
      roles: rolesOf({
        is_user_admin: row.is_user_admin ?? false,
        is_tenant_admin: row.is_tenant_admin ?? false,
      }),
      idleMinutes: row.idle_minutes,
      defaultLanguage: row.default_language ?? 'en',
      lastActivityAt,
      expiresAt: row.expires_at,
    };
  }
  return null;
}

export async function deleteWebSession(db: Queryable, app: SessionApp, token: string): Promise<void> {
  await db.query('delete from web_sessions where token_hash = $1 and app = $2', [hashToken(token), app]);
}

/**
 * A session's idle limit in minutes: its tenant's portal setting, else the server's default (`param`).
 * Read across tenants by the session lookup and the purge job, which run before any tenant is known.
 */
function effectiveIdleMinutesSql(session: string, param: string): string {
  return `case when ${session}.app = 'portal'
            then coalesce((select ts.portal_idle_minutes from tenant_settings ts
                            where ts.tenant_id = ${session}.tenant_id), ${param}::int)
            else ${param}::int end`;
}

/** Deletes sessions that expired or went idle (by each tenant's limit); run by a scheduled job. */
export async function purgeEndedWebSessions(db: Queryable, now: Date, idleMinutes: number): Promise<number> {
  const result = await db.query(
    `delete from web_sessions s
      where s.expires_at <= $1
         or s.last_activity_at <= $1::timestamptz - make_interval(mins => ${effectiveIdleMinutesSql('s', '$2')})`,
    [now, idleMinutes],
  );
  return result.rowCount;
}
