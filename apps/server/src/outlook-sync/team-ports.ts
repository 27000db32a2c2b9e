import type { AppContext } from '../app-context.js';
import { type Database, withTenant } from '../db/database.js';
import { listGroupMemberUsers } from '../directory/list-group-member-users.js';
import { graphFailureOf } from '../graph/graph-errors.js';
import { normaliseCategoryColor } from '../graph/outlook-categories.js';
import { applyOutlookCategoryChange } from '../team/apply-outlook-category-change.js';
import { mailFingerprint } from '../team/mail-fingerprint.js';
import { rememberMirroredCopy } from '../team/team-mail-copies.js';
import { microsoftTenantIdOf } from './outlook-sync-deps.js';
import type { MirrorPlan, OutlookSyncPorts } from './outlook-sync-ports.js';

interface TeamRef {
  id: string;
  shared_mailbox: string | null;
}

interface MemberRef {
  team_id: string;
  principal_type: 'user' | 'group';
  principal_id: string;
}

/**
 * The Outlook mirror's ports wired to Team (issue 9): Team's own `applyOutlookCategoryChange` and
 * `mailFingerprint`, and Team's tables for what to mirror where. A team's mailboxes are its licensed
 * people — named users and the users of its groups (Graph `transitiveMembers`) holding a Team licence,
 * as Team's own access rule has it — plus its shared mailbox. Outlook gets each category's name in the
 * tenant's default language (decision 125); Team matches either language when a member sets one in
 * Outlook, and a copy still carrying the other language's name is switched over by the next write.
 * A change on a mailbox that is no person of ours is a shared mailbox's: Team finds its teams by the
 * mailbox's addresses.
 */
export function teamPorts(context: Pick<AppContext, 'graphFor' | 'jobs' | 'memberships'>): OutlookSyncPorts {
  // Graph first, outside any transaction; then one short tenant transaction for the licences.
  async function mailboxesOf(
    db: Database,
    tenantId: string,
    microsoftTenantId: string,
    team: TeamRef,
    members: readonly MemberRef[],
  ): Promise<string[]> {
    const graph = context.graphFor(microsoftTenantId, { profile: 'worker' });
    const objectIds = new Set(
      members.filter((m) => m.principal_type === 'user').map((m) => m.principal_id.toLowerCase()),
    );
    for (const group of members.filter((m) => m.principal_type === 'group')) {
      for (const user of await listGroupMemberUsers(graph, group.principal_id)) {
        objectIds.add(user.objectId.toLowerCase());
      }
    }
    const licensed = await withTenant(db, tenantId, (tx) =>
      tx.query<{ entra_object_id: string }>(
        `select u.entra_object_id from users u
           join licence_assignments l on l.user_id = u.id and l.tenant_id = u.tenant_id and l.module = 'team'
          where u.tenant_id = $1 and u.entra_object_id = any($2::uuid[])`,
        [tenantId, [...objectIds]],
      ),
    );
    const mailboxes = licensed.rows.map((row) => row.entra_object_id.toLowerCase());
    if (team.shared_mailbox) {
      try {
        const shared = await graph.json<{ id: string }>({
          path: `/users/${encodeURIComponent(team.shared_mailbox)}?$select=id`,
          what: "read a team's shared mailbox",
        });
        mailboxes.push(shared.id.toLowerCase());
      } catch (error) {
        // A shared mailbox that no longer exists leaves the team's people mirrored all the same.
        if (graphFailureOf(error)?.graphStatus !== 404) throw error;
      }
    }
    return [...new Set(mailboxes)];
  }

  /** A mailbox's primary SMTP address and user principal name; none when Graph no longer knows it. */
  async function mailboxAddresses(microsoftTenantId: string, objectId: string): Promise<string[]> {
    const graph = context.graphFor(microsoftTenantId, { profile: 'worker' });
    try {
      const mailbox = await graph.json<{ mail?: string | null; userPrincipalName?: string | null }>({
        path: `/users/${encodeURIComponent(objectId)}?$select=id,mail,userPrincipalName`,
        what: 'read a watched mailbox',
      });
      return [mailbox.mail, mailbox.userPrincipalName].filter(
        (address): address is string => typeof address === 'string' && address !== '',
      );
    } catch (error) {
      if (graphFailureOf(error)?.graphStatus !== 404) throw error;
      return [];
    }
  }

  return {
    async applyCategoryChange(db, change) {
      const { microsoftTenantId, person } = await withTenant(db, change.tenantId, async (tx) => {
        const user = await tx.query('select 1 from users where tenant_id = $1 and entra_object_id = $2', [
          change.tenantId,
          change.userObjectId,
        ]);
        return {
          microsoftTenantId: await microsoftTenantIdOf(tx, change.tenantId),
          person: user.rowCount > 0,
        };
      });
      if (!microsoftTenantId) return;
      if (!person) {
        // No person of ours: a shared mailbox the mirror watches. Teams name it by address.
        const addresses = await mailboxAddresses(microsoftTenantId, change.userObjectId);
        if (addresses.length === 0) return;
        await applyOutlookCategoryChange(
          db,
          { ...change, sharedMailboxAddresses: addresses },
          { jobs: context.jobs },
        );
        return;
      }
      const groups = await context.memberships.groupsOf(microsoftTenantId, change.userObjectId);
      await applyOutlookCategoryChange(db, { ...change, groupIds: [...groups] }, { jobs: context.jobs });
    },
    fingerprintOf: mailFingerprint,
    async loadMirrorPlan(db, job): Promise<MirrorPlan | undefined> {
      const loaded = await withTenant(db, job.tenantId, async (tx) => {
        const microsoftTenantId = await microsoftTenantIdOf(tx, job.tenantId);
        const mail = await tx.query<{ internet_message_id: string; fingerprint: string }>(
          'select internet_message_id, fingerprint from team_mails where tenant_id = $1 and id = $2 and team_id = $3',
          [job.tenantId, job.teamMailId, job.teamId],
        );
        const team = await tx.query<TeamRef>(
          'select id, shared_mailbox from teams where tenant_id = $1 and id = $2',
          [job.tenantId, job.teamId],
        );
        const theMail = mail.rows[0];
        const theTeam = team.rows[0];
        if (!microsoftTenantId || !theMail || !theTeam) return undefined;
        // Outlook shows one name per category: the organisation's language (decision 125).
        const language = await tx.query<{ default_language: 'en' | 'de' | null }>(
          'select default_language from tenant_settings where tenant_id = $1',
          [job.tenantId],
        );
        const onMail = await tx.query<{ id: string; name_en: string; name_de: string; color: string }>(
          `select c.id, c.name_en, c.name_de, c.color from team_mail_categories x
             join categories c on c.id = x.category_id and c.tenant_id = x.tenant_id
            where x.tenant_id = $1 and x.team_mail_id = $2 order by c.position, c.name_en`,
          [job.tenantId, job.teamMailId],
        );
        const all = await tx.query<{ name_en: string; name_de: string }>(
          `select c.name_en, c.name_de from team_categories t
             join categories c on c.id = t.category_id and c.tenant_id = t.tenant_id
            where t.tenant_id = $1 and t.team_id = $2`,
          [job.tenantId, job.teamId],
        );
        const members = await tx.query<MemberRef>(
          'select team_id, principal_type, principal_id from team_members where tenant_id = $1 and team_id = $2',
          [job.tenantId, job.teamId],
        );
        return {
          microsoftTenantId,
          german: language.rows[0]?.default_language === 'de',
          theMail,
          theTeam,
          onMail: onMail.rows,
          all: all.rows,
          members: members.rows,
        };
      });
      if (!loaded) return undefined;
      const { microsoftTenantId, german, theMail, theTeam, onMail, all, members } = loaded;
      const mailboxes = await mailboxesOf(db, job.tenantId, microsoftTenantId, theTeam, members);
      return {
        microsoftTenantId,
        categories: onMail.map((c) => ({
          id: c.id,
          name: german ? c.name_de : c.name_en,
          color: normaliseCategoryColor(c.color),
        })),
        teamCategoryNames: [...new Set(all.flatMap((c) => [c.name_en, c.name_de]))],
        mailboxes: mailboxes.map((userObjectId) => ({
          userObjectId,
          internetMessageId: theMail.internet_message_id,
          fingerprint: theMail.fingerprint,
        })),
      };
    },
    async rememberCopy(db, job, copy) {
      await rememberMirroredCopy(db, { tenantId: job.tenantId, teamMailId: job.teamMailId, ...copy });
    },
    async listMirroredMailboxes(db, tenantId) {
      const loaded = await withTenant(db, tenantId, async (tx) => {
        const microsoftTenantId = await microsoftTenantIdOf(tx, tenantId);
        const teams = await tx.query<TeamRef>('select id, shared_mailbox from teams where tenant_id = $1', [
          tenantId,
        ]);
        const members = await tx.query<MemberRef>(
          'select team_id, principal_type, principal_id from team_members where tenant_id = $1',
          [tenantId],
        );
        return { microsoftTenantId, teams: teams.rows, members: members.rows };
      });
      if (!loaded.microsoftTenantId) return [];
      const all = new Set<string>();
      for (const team of loaded.teams) {
        const mine = loaded.members.filter((m) => m.team_id === team.id);
        for (const mailbox of await mailboxesOf(db, tenantId, loaded.microsoftTenantId, team, mine))
          all.add(mailbox);
      }
      return [...all];
    },
  };
}
