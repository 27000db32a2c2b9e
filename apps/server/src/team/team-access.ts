import type { TeamPerson } from '@mailissa/contracts';
import type { AppContext } from '../app-context.js';
import type { Principal } from '../auth/authenticate.js';
import type { Queryable } from '../db/database.js';
import { withTenant } from '../db/database.js';
import { listGroupMemberUsers } from '../directory/list-group-member-users.js';
import { AppError } from '../errors/app-error.js';
import { listUserAdministrators } from '../targets/require-transfer-licence.js';
import type { TeamMemberRow, TeamRow } from './team.rows.js';

/**
 * Throws 403 `no_licence` unless the user holds a Team licence; like Transfer's check, the error names
 * the user administrators so the add-in can say whom to ask. Inside withTenant().
 */
export async function requireTeamLicence(tx: Queryable, tenantId: string, userId: string): Promise<void> {
  const licence = await tx.query(
    `select 1 from licence_assignments where tenant_id = $1 and user_id = $2 and module = 'team'`,
    [tenantId, userId],
  );
  if (licence.rowCount > 0) return;
  throw new AppError(403, 'no_licence', 'You have no Mailissa Team licence. Ask an administrator for one.', {
    extra: { administrators: await listUserAdministrators(tx, tenantId) },
  });
}

export interface LoadedTeam {
  team: TeamRow;
  members: TeamMemberRow[];
}

/** A team is answered as "not found" to everyone who is not in it: it does not exist for them. */
export function teamNotFound(): AppError {
  return new AppError(404, 'team_not_found', 'This team does not exist.');
}

/** How long the people of a team (groups expanded through Graph) are reused. */
const PEOPLE_FRESH_MS = 60_000;

/**
 * Who may use a team: users named in it and members of its groups, transitively (the same group
 * resolution as target visibility, decision 018), holding a Team licence.
 */
export class TeamAccess {
  private readonly people = new Map<string, { at: number; people: Promise<TeamPerson[]> }>();

  constructor(private readonly context: Pick<AppContext, 'db' | 'memberships' | 'graphFor' | 'now'>) {}

  /** Whether the principal is in one of the members (directly, or through a group). */
  async isMember(principal: Principal, members: readonly TeamMemberRow[]): Promise<boolean> {
    const objectId = principal.objectId.toLowerCase();
    if (members.some((m) => m.principal_type === 'user' && m.principal_id.toLowerCase() === objectId)) {
      return true;
    }
    const groups = members.filter((m) => m.principal_type === 'group');
    if (groups.length === 0) return false;
    const mine = await this.context.memberships.groupsOf(principal.microsoftTenantId, objectId);
    return groups.some((group) => mine.has(group.principal_id.toLowerCase()));
  }

  /** The team with its members if the principal (licensed) is one of them; otherwise 404 or 403. */
  async requireMember(principal: Principal, teamId: string): Promise<LoadedTeam> {
    const loaded = await withTenant(this.context.db, principal.tenantId, async (tx) => {
      await requireTeamLicence(tx, principal.tenantId, principal.userId);
      return loadTeam(tx, principal.tenantId, teamId);
    });
    if (!loaded || !(await this.isMember(principal, loaded.members))) throw teamNotFound();
    return loaded;
  }

  /** Every team the principal is a member of. */
  async teamsOf(principal: Principal): Promise<LoadedTeam[]> {
    const all = await withTenant(this.context.db, principal.tenantId, async (tx) => {
      await requireTeamLicence(tx, principal.tenantId, principal.userId);
      const teams = await tx.query<TeamRow>('select * from teams where tenant_id = $1 order by name, id', [
        principal.tenantId,
      ]);
      const members = await tx.query<TeamMemberRow>(
        'select team_id, principal_type, principal_id, display_name from team_members where tenant_id = $1',
        [principal.tenantId],
      );
      return teams.rows.map((team) => ({
        team,
        members: members.rows.filter((member) => member.team_id === team.id),
      }));
    });
    const mine: LoadedTeam[] = [];
    for (const loaded of all) if (await this.isMember(principal, loaded.members)) mine.push(loaded);
    return mine;
  }

  /**
   * The licensed people of a team: named users and the users of its groups (Graph
   * `transitiveMembers`), who hold a Team licence. Cached briefly per team version.
   */
  async peopleOf(principal: Pick<Principal, 'tenantId' | 'microsoftTenantId'>, loaded: LoadedTeam) {
    const key = `${loaded.team.id}:${loaded.team.updated_at.getTime()}`;
    const nowMs = this.context.now().getTime();
    const cached = this.people.get(key);
    if (cached && nowMs - cached.at < PEOPLE_FRESH_MS) return cached.people;
    const people = this.loadPeople(principal, loaded);
    this.people.set(key, { at: nowMs, people });
    people.catch(() => this.people.delete(key));
    if (this.people.size > 10_000) this.people.delete(this.people.keys().next().value ?? '');
    return people;
  }

  private async loadPeople(
    principal: Pick<Principal, 'tenantId' | 'microsoftTenantId'>,
    loaded: LoadedTeam,
  ): Promise<TeamPerson[]> {
    const objectIds = new Set(
      loaded.members.filter((m) => m.principal_type === 'user').map((m) => m.principal_id.toLowerCase()),
    );
    const groups = loaded.members.filter((m) => m.principal_type === 'group');
    if (groups.length > 0) {
      const graph = this.context.graphFor(principal.microsoftTenantId, { profile: 'request' });
      for (const group of groups) {
        for (const user of await listGroupMemberUsers(graph, group.principal_id)) {
          objectIds.add(user.objectId.toLowerCase());
        }
      }
    }
    return withTenant(this.context.db, principal.tenantId, async (tx) => {
      const rows = await tx.query<{ id: string; display_name: string; email: string }>(
        `select u.id, u.display_name, u.email from users u
           join licence_assignments l on l.user_id = u.id and l.tenant_id = u.tenant_id and l.module = 'team'
          where u.tenant_id = $1 and u.entra_object_id = any($2::uuid[])
          order by u.display_name, u.email`,
        [principal.tenantId, [...objectIds]],
      );
      return rows.rows.map((row) => ({ userId: row.id, displayName: row.display_name, email: row.email }));
    });
  }
}

/** One team and its members, or null. Inside withTenant(). */
export async function loadTeam(tx: Queryable, tenantId: string, teamId: string): Promise<LoadedTeam | null> {
  const team = await tx.query<TeamRow>('select * from teams where tenant_id = $1 and id = $2', [
    tenantId,
    teamId,
  ]);
  const row = team.rows[0];
  if (!row) return null;
  const members = await tx.query<TeamMemberRow>(
    `select team_id, principal_type, principal_id, display_name from team_members
      where tenant_id = $1 and team_id = $2 order by principal_type, display_name`,
    [tenantId, teamId],
  );
  return { team: row, members: members.rows };
}
