import { deterministicGuid } from './deterministic-id.js';
import type { SeedGroup, SeedTenant, SeedUser } from './directory-seed.js';

export interface LargeTenantOptions {
  tenantId: string;
  users?: number;
  groups?: number;
  /** How many transitive groups the probe user (the first user) belongs to. */
  probeGroups?: number;
}

export interface LargeTenant {
  tenant: SeedTenant;
  probeUser: SeedUser;
  /** Every group id, top level first. */
  groupIds: string[];
  /** The probe user's transitive groups. */
  probeGroupIds: string[];
}

/** A tiny deterministic PRNG (mulberry32): the same tenant every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A big directory for benchmarks: `users` users and `groups` security groups nested four deep
 * (2.5 % top level, 7.5 % second, 20 % third, 70 % leaves; every group below the top is a member of
 * one group a level up), every user in two leaf groups, and the first user (the probe) in exactly
 * `probeGroups` groups transitively. Deterministic, so runs compare.
 */
export function generateLargeTenant(options: LargeTenantOptions): LargeTenant {
  const userCount = options.users ?? 10_000;
  const groupCount = options.groups ?? 2_000;
  const probeGroups = options.probeGroups ?? 50;
  const { tenantId } = options;
  const domain = 'large.example';
  const next = random(0x5eed);
  const users: SeedUser[] = Array.from({ length: userCount }, (_, i) => {
    const upn = `user${i}@${domain}`;
    return {
      id: deterministicGuid(`user:${tenantId}:${upn}`),
      tenantId,
      displayName: `User ${i}`,
      givenName: 'User',
      surname: String(i),
      userPrincipalName: upn,
      mail: upn,
      jobTitle: null,
      officeLocation: null,
      mobilePhone: null,
      businessPhones: [],
      preferredLanguage: i % 2 === 0 ? 'de-DE' : 'en-GB',
      accountEnabled: true,
    };
  });
  const shares = [0.025, 0.075, 0.2];
  const sizes = shares.map((share) => Math.max(1, Math.round(groupCount * share)));
  sizes.push(groupCount - sizes.reduce((a, b) => a + b, 0));
  const levels: SeedGroup[][] = [];
  let index = 0;
  for (const [level, size] of sizes.entries()) {
    const list: SeedGroup[] = [];
    for (let i = 0; i < size; i++, index++) {
      list.push({
        id: deterministicGuid(`group:${tenantId}:g${index}`),
        tenantId,
        displayName: `Group L${level + 1} ${index}`,
        description: `Level ${level + 1} group`,
        mailNickname: `g${index}`,
        mail: null,
        mailEnabled: false,
        securityEnabled: true,
        groupTypes: [],
        visibility: null,
        createdDateTime: '2026-01-05T08:00:00Z',
        memberIds: [],
      });
    }
    levels.push(list);
  }
  const parentOf = new Map<string, SeedGroup>();
  for (let level = 1; level < levels.length; level++) {
    const above = levels[level - 1] as SeedGroup[];
    for (const [i, group] of (levels[level] as SeedGroup[]).entries()) {
      const parent = above[i % above.length] as SeedGroup;
      parent.memberIds.push(group.id);
      parentOf.set(group.id, parent);
    }
  }
  const leaves = levels[levels.length - 1] as SeedGroup[];
  const probe = users[0] as SeedUser;
  for (const user of users.slice(1)) {
    for (let k = 0; k < 2; k++) leaves[Math.floor(next() * leaves.length)]?.memberIds.push(user.id);
  }
  // The probe: leaves with their ancestry while they fit, then top-level groups to reach the count.
  const chainOf = (group: SeedGroup): SeedGroup[] => {
    const chain = [group];
    let parent = parentOf.get(group.id);
    while (parent) {
      chain.push(parent);
      parent = parentOf.get(parent.id);
    }
    return chain;
  };
  const probeSet = new Set<string>();
  for (const leaf of leaves) {
    const added = chainOf(leaf).filter((g) => !probeSet.has(g.id));
    if (probeSet.size + added.length > probeGroups) continue;
    leaf.memberIds.push(probe.id);
    for (const g of added) probeSet.add(g.id);
    if (probeSet.size >= probeGroups - 3) break;
  }
  for (const top of levels[0] as SeedGroup[]) {
    if (probeSet.size >= probeGroups) break;
    if (probeSet.has(top.id)) continue;
    top.memberIds.push(probe.id);
    probeSet.add(top.id);
  }
  const groups = levels.flat();
  return {
    tenant: {
      tenantId,
      displayName: 'Large Tenant (Benchmark)',
      defaultDomain: domain,
      kind: 'customer',
      users,
      groups,
      // The benchmark's probe user administers the tenant, so admin consent can be given if needed.
      globalAdminIds: [probe.id],
    },
    probeUser: probe,
    groupIds: groups.map((g) => g.id),
    probeGroupIds: [...probeSet],
  };
}
