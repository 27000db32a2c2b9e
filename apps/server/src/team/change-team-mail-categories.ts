import { AppError } from '../errors/app-error.js';
import {
  enqueueCategoryMirror,
  lockTeamMail,
  recordTeamChange,
  type TeamChangeScope,
} from './team-mail-scope.js';

/** The Team categories the team uses (portal), as ids. */
export async function teamCategoryIds(scope: Pick<TeamChangeScope, 'tx' | 'tenantId' | 'teamId'>) {
  const rows = await scope.tx.query<{ category_id: string }>(
    `select t.category_id from team_categories t
       join categories c on c.id = t.category_id and c.tenant_id = t.tenant_id and c.module = 'team'
      where t.tenant_id = $1 and t.team_id = $2`,
    [scope.tenantId, scope.teamId],
  );
  return new Set(rows.rows.map((row) => row.category_id));
}

/**
 * Adds and removes categories on a team mail. Categories are a set: adding one that is there, or
 * removing one that is not, changes nothing, so two members' concurrent changes merge instead of one
 * overwriting the other. Each real change is recorded, announced and mirrored into Outlook.
 */
export async function changeTeamMailCategories(
  scope: TeamChangeScope,
  mailId: string,
  change: { add?: readonly string[]; remove?: readonly string[] },
): Promise<{ added: string[]; removed: string[] }> {
  await lockTeamMail(scope, mailId);
  const allowed = await teamCategoryIds(scope);
  for (const id of change.add ?? []) {
    if (!allowed.has(id)) {
      throw new AppError(400, 'team_category_not_allowed', 'categoryId: not a category of this team.');
    }
  }
  const added: string[] = [];
  const removed: string[] = [];
  for (const id of change.add ?? []) {
    const inserted = await scope.tx.query(
      `insert into team_mail_categories (tenant_id, team_mail_id, category_id, added_at)
       values ($1, $2, $3, $4) on conflict do nothing`,
      [scope.tenantId, mailId, id, scope.now],
    );
    if (inserted.rowCount > 0) {
      added.push(id);
      await recordTeamChange(scope, mailId, 'category_added', id);
    }
  }
  for (const id of change.remove ?? []) {
    const deleted = await scope.tx.query(
      'delete from team_mail_categories where tenant_id = $1 and team_mail_id = $2 and category_id = $3',
      [scope.tenantId, mailId, id],
    );
    if (deleted.rowCount > 0) {
      removed.push(id);
      await recordTeamChange(scope, mailId, 'category_removed', id);
    }
  }
  if (added.length > 0 || removed.length > 0) await enqueueCategoryMirror(scope, mailId);
  return { added, removed };
}
