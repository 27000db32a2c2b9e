import type { SeedGroup, SeedTenant, SeedUser } from '../seed/directory-seed.js';

/** Read-only lookups over the seeded tenants, users and groups. */
export class Directory {
  private readonly usersById = new Map<string, SeedUser>();
  private readonly usersByUpn = new Map<string, SeedUser>();
  private readonly groupsById = new Map<string, SeedGroup>();
  private readonly tenantsById = new Map<string, SeedTenant>();
  /** Member id → the groups it is a direct member of; large generated tenants need the index. */
  private readonly parents = new Map<string, SeedGroup[]>();
  /** Shared mailbox user id → the users with full access to it. */
  private readonly sharedMembers = new Map<string, Set<string>>();

  constructor(readonly tenants: readonly SeedTenant[]) {
    for (const tenant of tenants) {
      this.tenantsById.set(tenant.tenantId, tenant);
      for (const user of tenant.users) {
        this.usersById.set(user.id, user);
        this.usersByUpn.set(user.userPrincipalName.toLowerCase(), user);
      }
      for (const shared of tenant.sharedMailboxes ?? []) {
        this.sharedMembers.set(shared.userId, new Set(shared.memberIds));
      }
      for (const group of tenant.groups) {
        this.groupsById.set(group.id, group);
        for (const member of group.memberIds) {
          const list = this.parents.get(member) ?? [];
          list.push(group);
          this.parents.set(member, list);
        }
      }
    }
  }

  tenant(tenantId: string): SeedTenant | undefined {
    return this.tenantsById.get(tenantId.toLowerCase());
  }

  /** A user of one tenant by object id or user principal name (case-insensitive, as Graph). */
  user(tenantId: string, idOrUpn: string): SeedUser | undefined {
    const key = idOrUpn.toLowerCase();
    const user = this.usersById.get(key) ?? this.usersByUpn.get(key);
    return user && user.tenantId === tenantId ? user : undefined;
  }

  /** A user in any tenant, by upn: login hints may name any seeded user. */
  userByUpnAnywhere(upn: string): SeedUser | undefined {
    return this.usersByUpn.get(upn.toLowerCase());
  }

  userById(id: string): SeedUser | undefined {
    return this.usersById.get(id.toLowerCase());
  }

  /** Is this user object a shared mailbox? */
  isSharedMailbox(userId: string): boolean {
    return this.sharedMembers.has(userId.toLowerCase());
  }

  /** May this user open the shared mailbox with their own delegated token? */
  hasSharedMailboxAccess(mailboxId: string, userId: string): boolean {
    return this.sharedMembers.get(mailboxId.toLowerCase())?.has(userId.toLowerCase()) ?? false;
  }

  /** The shared mailboxes a user is a member of. */
  sharedMailboxesOf(tenantId: string, userId: string): SeedUser[] {
    return [...this.sharedMembers.entries()]
      .filter(([, members]) => members.has(userId.toLowerCase()))
      .map(([id]) => this.user(tenantId, id))
      .filter((u): u is SeedUser => u !== undefined);
  }

  group(tenantId: string, id: string): SeedGroup | undefined {
    const group = this.groupsById.get(id.toLowerCase());
    return group && group.tenantId === tenantId ? group : undefined;
  }

  users(tenantId: string): SeedUser[] {
    return this.tenant(tenantId)?.users ?? [];
  }

  groups(tenantId: string): SeedGroup[] {
    return this.tenant(tenantId)?.groups ?? [];
  }

  /** Direct members of a group as directory objects. */
  members(group: SeedGroup): Array<{ type: 'user'; user: SeedUser } | { type: 'group'; group: SeedGroup }> {
    const out: Array<{ type: 'user'; user: SeedUser } | { type: 'group'; group: SeedGroup }> = [];
    for (const id of group.memberIds) {
      const user = this.usersById.get(id);
      if (user) out.push({ type: 'user', user });
      const nested = this.groupsById.get(id);
      if (nested) out.push({ type: 'group', group: nested });
    }
    return out;
  }

  /** Every group an object belongs to, directly or through nested groups (transitive closure). */
  transitiveGroupsOf(tenantId: string, objectId: string): SeedGroup[] {
    const result = new Map<string, SeedGroup>();
    const queue = [objectId.toLowerCase()];
    while (queue.length > 0) {
      const current = queue.shift() as string;
      for (const group of this.parents.get(current) ?? []) {
        if (group.tenantId === tenantId && !result.has(group.id)) {
          result.set(group.id, group);
          queue.push(group.id);
        }
      }
    }
    return [...result.values()];
  }
}
