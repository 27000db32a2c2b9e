import { AppError } from '../errors/app-error.js';
import type { GraphClient } from '../graph/graph-client.js';

export interface DirectoryUser {
  objectId: string;
  displayName: string;
  email: string;
}

/** A bulk change for more people than this is refused rather than left half-done. */
export const MAX_GROUP_MEMBERS = 5000;

/**
 * Every user in a directory group, also through nested groups (`transitiveMembers`), following
 * Graph's pages. Groups and devices among the members are skipped; a user without `mail` is
 * addressed by their user principal name.
 */
export async function listGroupMemberUsers(graph: GraphClient, groupId: string): Promise<DirectoryUser[]> {
  const users = new Map<string, DirectoryUser>();
  const path = `/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=id,displayName,mail,userPrincipalName&$top=999`;
  for await (const member of graph.paginate<{
    '@odata.type'?: string;
    id: string;
    displayName?: string | null;
    mail?: string | null;
    userPrincipalName?: string | null;
  }>(path)) {
    if (member['@odata.type'] !== '#microsoft.graph.user') continue;
    users.set(member.id, {
      objectId: member.id,
      displayName: member.displayName ?? member.userPrincipalName ?? member.id,
      email: member.mail ?? member.userPrincipalName ?? '',
    });
    if (users.size > MAX_GROUP_MEMBERS) {
      throw new AppError(
        422,
        'group_too_large',
        `This group has more than ${MAX_GROUP_MEMBERS} members; choose smaller groups.`,
      );
    }
  }
  return [...users.values()];
}
