import type { Category, CategoryBody, LicensedModule } from '@mailissa/contracts';
import { type AuditActor, recordAuditEvent } from '../audit/record-audit-event.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { bumpTenantConfig } from '../targets/bump-tenant-config.js';
import { type CategoryRow, toCategory } from '../targets/targets.rows.js';

/** The tenant's categories of both modules, in their order. Inside withTenant(). */
export async function listCategories(tx: Queryable, tenantId: string): Promise<Category[]> {
  const rows = await tx.query<CategoryRow>(
    'select * from categories where tenant_id = $1 order by module desc, position, name_en, id',
    [tenantId],
  );
  return rows.rows.map(toCategory);
}

async function findCategory(tx: Queryable, tenantId: string, id: string): Promise<Category> {
  const rows = await tx.query<CategoryRow>('select * from categories where tenant_id = $1 and id = $2', [
    tenantId,
    id,
  ]);
  const row = rows.rows[0];
  if (!row) throw new AppError(404, 'category_not_found', 'This category does not exist.');
  return toCategory(row);
}

/** A new category at the end of its module's list. Inside withTenant(). */
export async function createCategory(
  tx: Queryable,
  tenantId: string,
  actor: AuditActor,
  body: CategoryBody,
): Promise<Category> {
  const inserted = await tx.query<{ id: string }>(
    `insert into categories (tenant_id, module, name_en, name_de, color, position)
     values ($1, $2, $3, $4, $5,
             (select coalesce(max(position) + 1, 0) from categories where tenant_id = $1 and module = $2))
     returning id`,
    [tenantId, body.module, body.name.en, body.name.de, body.color],
  );
  const category = await findCategory(tx, tenantId, inserted.rows[0]?.id ?? '');
  await recordAuditEvent(tx, tenantId, actor, {
    action: 'category.created',
    subject: { type: 'category', id: category.id, label: category.name.en },
    after: category,
  });
  await bumpTenantConfig(tx, tenantId);
  return category;
}

/** Renames or recolours a category; a change of module puts it at the end of the other list. */
export async function updateCategory(
  tx: Queryable,
  tenantId: string,
  actor: AuditActor,
  id: string,
  body: CategoryBody,
): Promise<Category> {
  const before = await findCategory(tx, tenantId, id);
  await tx.query(
    `update categories
        set name_en = $3, name_de = $4, color = $5, module = $6, updated_at = now(),
            position = case when module = $6 then position
                            else (select coalesce(max(position) + 1, 0) from categories
                                   where tenant_id = $1 and module = $6) end
      where tenant_id = $1 and id = $2`,
    [tenantId, id, body.name.en, body.name.de, body.color, body.module],
  );
  if (before.module !== body.module) {
    // A Transfer category that moves to Team no longer groups targets.
    await tx.query('update targets set category_id = null where tenant_id = $1 and category_id = $2', [
      tenantId,
      id,
    ]);
  }
  const after = await findCategory(tx, tenantId, id);
  await recordAuditEvent(tx, tenantId, actor, {
    action: 'category.updated',
    subject: { type: 'category', id, label: after.name.en },
    before,
    after,
  });
  await bumpTenantConfig(tx, tenantId);
  return after;
}

/** Deletes a category; its targets stay, without a category. */
export async function deleteCategory(tx: Queryable, tenantId: string, actor: AuditActor, id: string) {
  const before = await findCategory(tx, tenantId, id);
  await tx.query('delete from categories where tenant_id = $1 and id = $2', [tenantId, id]);
  await recordAuditEvent(tx, tenantId, actor, {
    action: 'category.deleted',
    subject: { type: 'category', id, label: before.name.en },
    before,
  });
  await bumpTenantConfig(tx, tenantId);
}

/** Puts one module's categories in the given order; the list must name each of them exactly once. */
export async function reorderCategories(
  tx: Queryable,
  tenantId: string,
  actor: AuditActor,
  module: LicensedModule,
  ids: string[],
): Promise<Category[]> {
  const current = await tx.query<{ id: string }>(
    'select id from categories where tenant_id = $1 and module = $2 order by position, name_en, id',
    [tenantId, module],
  );
  const known = current.rows.map((row) => row.id);
  if (
    ids.length !== known.length ||
    new Set(ids).size !== ids.length ||
    ids.some((id) => !known.includes(id))
  ) {
    throw new AppError(400, 'invalid_request', `ids: must list every ${module} category exactly once.`);
  }
  await tx.query(
    `update categories c set position = o.position, updated_at = now()
       from unnest($2::uuid[]) with ordinality as o (id, position)
      where c.tenant_id = $1 and c.id = o.id`,
    [tenantId, ids],
  );
  await recordAuditEvent(tx, tenantId, actor, {
    action: 'category.reordered',
    subject: { type: 'category', label: module },
    before: known,
    after: ids,
  });
  await bumpTenantConfig(tx, tenantId);
  return listCategories(tx, tenantId);
}
