import type { DuplicateChoice } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';

export interface DuplicateTransfer {
  id: string;
  createdAt: string;
  files: string[];
  isYou: boolean;
  subfolder: string | undefined;
}

/**
 * Earlier transfers of this very mail (by identity, not Message-ID alone) to this target that still
 * stand: done and not replaced since. Newest first. Must run inside withTenant().
 */
export async function findDuplicates(
  tx: Queryable,
  tenantId: string,
  targetId: string,
  mailIdentity: string,
  viewerUserId: string,
): Promise<DuplicateTransfer[]> {
  const result = await tx.query<{
    id: string;
    created_at: Date;
    created_by: string | null;
    options: { subfolder?: string };
    files: string[];
  }>(
    `select t.id, t.created_at, t.created_by, t.options,
            coalesce((select array_agg(f.name order by f.position) from transfer_files f
                       where f.tenant_id = t.tenant_id and f.transfer_id = t.id and f.done), '{}') as files
       from transfers t
      where t.tenant_id = $1 and t.target_id = $2 and t.mail_identity = $3 and t.state = 'done'
        and exists (select 1 from transfer_files f where f.tenant_id = t.tenant_id and f.transfer_id = t.id and f.done)
      order by t.created_at desc, t.id desc limit 20`,
    [tenantId, targetId, mailIdentity],
  );
  return result.rows.map((row) => ({
    id: row.id,
    createdAt: row.created_at.toISOString(),
    files: row.files,
    isYou: row.created_by === viewerUserId,
    subfolder: row.options.subfolder,
  }));
}

/** What the user chose to always do with a duplicate, if anything. Must run inside withTenant(). */
export async function rememberedDuplicateChoice(
  tx: Queryable,
  tenantId: string,
  userId: string,
): Promise<DuplicateChoice | null> {
  const result = await tx.query<{ duplicate_choice: DuplicateChoice | null }>(
    'select duplicate_choice from transfer_preferences where tenant_id = $1 and user_id = $2',
    [tenantId, userId],
  );
  return result.rows[0]?.duplicate_choice ?? null;
}

export async function rememberDuplicateChoice(
  tx: Queryable,
  tenantId: string,
  userId: string,
  choice: DuplicateChoice,
  now: Date,
): Promise<void> {
  await tx.query(
    `insert into transfer_preferences (tenant_id, user_id, duplicate_choice, updated_at) values ($1, $2, $3, $4)
     on conflict (tenant_id, user_id) do update set duplicate_choice = excluded.duplicate_choice, updated_at = excluded.updated_at`,
    [tenantId, userId, choice, now],
  );
}
