import type { AdminTarget, CreateTargetBody, UpdateTargetBody } from '@mailissa/contracts';
import { type AuditActor, recordAuditEvent } from '../audit/record-audit-event.js';
import { connectorFor } from '../connectors/connector-registry.js';
import { type CheckUrl, checkSettingsUrls } from '../connectors/kit/check-settings-urls.js';
import { saveConnectorCredential } from '../connectors/kit/connector-credentials.js';
import type { CredentialKeyring } from '../credentials/credential-keyring.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { bumpTenantConfig } from './bump-tenant-config.js';
import { listAdminTargets } from './list-admin-targets.js';

async function requireCategory(tx: Queryable, tenantId: string, categoryId: string | null): Promise<void> {
  if (categoryId === null) return;
  const found = await tx.query(
    `select 1 from categories where tenant_id = $1 and id = $2 and module = 'transfer'`,
    [tenantId, categoryId],
  );
  if (found.rowCount === 0) {
    throw new AppError(400, 'category_not_found', 'categoryId: no such Transfer category.');
  }
}

async function requireFreeTitle(tx: Queryable, tenantId: string, title: string, except: string | null) {
  const taken = await tx.query(
    `select 1 from targets where tenant_id = $1 and deleted_at is null and lower(title_en) = lower($2)
        and ($3::uuid is null or id <> $3)`,
    [tenantId, title, except],
  );
  if (taken.rowCount > 0) {
    throw new AppError(409, 'target_title_taken', 'title.en: another target already has this title.');
  }
}

/** What the audit log keeps of a target: no secrets (settings never hold any). */
function auditState(target: AdminTarget) {
  return {
    connectorType: target.connectorType,
    title: target.title,
    categoryId: target.categoryId,
    settings: target.settings,
    enabled: target.enabled,
  };
}

/**
 * Creates a target after its connector's own schema accepted the settings, and records it in the
 * audit log. Must run inside withTenant().
 */
export async function createTarget(
  tx: Queryable,
  tenantId: string,
  actor: AuditActor,
  body: CreateTargetBody,
  checkUrl?: CheckUrl,
): Promise<AdminTarget> {
  const connector = connectorFor(body.connectorType);
  const settings = connector.validateSettings(body.settings);
  if (checkUrl) await checkSettingsUrls(connector, settings, checkUrl);
  await requireCategory(tx, tenantId, body.categoryId);
  await requireFreeTitle(tx, tenantId, body.title.en, null);
  const inserted = await tx.query<{ id: string }>(
    `insert into targets (tenant_id, connector_type, category_id, title_en, title_de, settings, enabled)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7) returning id`,
    [
      tenantId,
      connector.type,
      body.categoryId,
      body.title.en,
      body.title.de,
      JSON.stringify(settings),
      body.enabled,
    ],
  );
  const id = inserted.rows[0]?.id ?? '';
  const [target] = await listAdminTargets(tx, tenantId, id);
  if (!target) throw new Error('a target vanished right after it was created');
  await recordAuditEvent(tx, tenantId, actor, {
    action: 'target.created',
    subject: { type: 'target', id, label: target.title.en },
    after: auditState(target),
  });
  await bumpTenantConfig(tx, tenantId);
  return target;
}

/** Changes title, category, settings or the enabled switch. Must run inside withTenant(). */
export async function updateTarget(
  tx: Queryable,
  tenantId: string,
  actor: AuditActor,
  targetId: string,
  body: UpdateTargetBody,
  checkUrl?: CheckUrl,
): Promise<AdminTarget> {
  const [before] = await listAdminTargets(tx, tenantId, targetId);
  if (!before) throw new AppError(404, 'target_not_found', 'This target does not exist.');
  const settings =
    body.settings === undefined
      ? before.settings
      : connectorFor(before.connectorType).validateSettings(body.settings);
  if (checkUrl && body.settings !== undefined) {
    await checkSettingsUrls(connectorFor(before.connectorType), settings, checkUrl);
  }
  if (body.categoryId !== undefined) await requireCategory(tx, tenantId, body.categoryId);
  if (body.title) await requireFreeTitle(tx, tenantId, body.title.en, targetId);
  await tx.query(
    `update targets set title_en = $3, title_de = $4, category_id = $5, settings = $6::jsonb, enabled = $7,
            updated_at = now()
      where tenant_id = $1 and id = $2`,
    [
      tenantId,
      targetId,
      body.title?.en ?? before.title.en,
      body.title?.de ?? before.title.de,
      body.categoryId === undefined ? before.categoryId : body.categoryId,
      JSON.stringify(settings),
      body.enabled ?? before.enabled,
    ],
  );
  const [after] = await listAdminTargets(tx, tenantId, targetId);
  if (!after) throw new Error('a target vanished while it was updated');
  await recordAuditEvent(tx, tenantId, actor, {
    action:
      before.enabled !== after.enabled && Object.keys(body).length === 1
        ? after.enabled
          ? 'target.enabled'
          : 'target.disabled'
        : 'target.updated',
    subject: { type: 'target', id: targetId, label: after.title.en },
    before: auditState(before),
    after: auditState(after),
  });
  await bumpTenantConfig(tx, tenantId);
  return after;
}

/**
 * Deletes a target softly: it disappears from the portal and the add-in, but stays as a row so its
 * transfers still name it (the transfers' foreign key refuses a hard delete). Its visibility entries
 * (names of people and groups) and stored credentials go at once. Must run inside withTenant().
 */
export async function deleteTarget(
  tx: Queryable,
  tenantId: string,
  actor: AuditActor,
  targetId: string,
): Promise<void> {
  const [before] = await listAdminTargets(tx, tenantId, targetId);
  if (!before) throw new AppError(404, 'target_not_found', 'This target does not exist.');
  await tx.query(
    `update targets set deleted_at = now(), enabled = false, visible_to_everyone = false, updated_at = now()
      where tenant_id = $1 and id = $2`,
    [tenantId, targetId],
  );
  await tx.query('delete from target_visibility where tenant_id = $1 and target_id = $2', [
    tenantId,
    targetId,
  ]);
  await tx.query('delete from credentials where tenant_id = $1 and target_id = $2', [tenantId, targetId]);
  await recordAuditEvent(tx, tenantId, actor, {
    action: 'target.deleted',
    subject: { type: 'target', id: targetId, label: before.title.en },
    before: auditState(before),
  });
  await bumpTenantConfig(tx, tenantId);
}

/**
 * Makes a new signing secret for a target whose connector generates its credential (the webhook),
 * seals it in the credential store as the tenant's own (no user), and returns it: the only time it
 * is readable. The old secret stops working at once. Audited without the secret. Must run inside
 * withTenant().
 */
export async function issueSigningSecret(
  tx: Queryable,
  keyring: CredentialKeyring,
  tenantId: string,
  actor: AuditActor,
  targetId: string,
): Promise<string> {
  const [target] = await listAdminTargets(tx, tenantId, targetId);
  if (!target) throw new AppError(404, 'target_not_found', 'This target does not exist.');
  const generate = connectorFor(target.connectorType).generateCredential;
  if (!generate) {
    throw new AppError(400, 'invalid_settings', 'connectorType: this kind of target has no signing secret.');
  }
  const { fields, shown } = generate();
  await saveConnectorCredential(tx, keyring, { tenantId, userId: null, targetId }, fields);
  await recordAuditEvent(tx, tenantId, actor, {
    action: 'target.secret_issued',
    subject: { type: 'target', id: targetId, label: target.title.en },
  });
  return shown;
}
