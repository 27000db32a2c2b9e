import { deterministicBytes, deterministicGuid } from './deterministic-id.js';
import { DEMO_GROUP_IDS, type SeedTenant } from './directory-seed.js';
import { groupDriveSeed, type SeedDrive } from './drive-seed.js';
import { DEMO_TENANT_ID } from './tenant-ids.js';

/** A channel id as Teams writes them: `19:` + 32 hex digits + `@thread.tacv2` (docs/microsoft-365.md §7.1). */
export function channelIdFor(name: string): string {
  return `19:${deterministicBytes(`channel:${name}`, 16).toString('hex')}@thread.tacv2`;
}

/** Planner ids are 28 characters of base64url, e.g. `xqQg5FS2LkCp935s-FIFm2QAFkHM`. */
export function plannerIdFor(name: string): string {
  return deterministicBytes(`planner:${name}`, 21).toString('base64url');
}

export interface SeedChannel {
  id: string;
  displayName: string;
  description: string;
}

/** A Microsoft 365 group with a team: its channels keep their files in folders of the group's drive. */
export interface SeedTeam {
  /** A team's id is its group's id. */
  groupId: string;
  tenantId: string;
  channels: SeedChannel[];
}

export interface SeedPlan {
  id: string;
  tenantId: string;
  /** The Microsoft 365 group that owns the plan: its members may use it. */
  groupId: string;
  title: string;
  buckets: { id: string; name: string }[];
}

const channel = (team: string, displayName: string, description: string): SeedChannel => ({
  id: channelIdFor(`${team}:${displayName}`),
  displayName,
  description,
});

export const SEED_TEAMS: readonly SeedTeam[] = [
  {
    groupId: DEMO_GROUP_IDS.sales,
    tenantId: DEMO_TENANT_ID,
    channels: [
      channel('sales', 'General', 'Everything about sales.'),
      channel('sales', 'Contracts', 'Contracts in negotiation and signed.'),
    ],
  },
  {
    groupId: DEMO_GROUP_IDS.support,
    tenantId: DEMO_TENANT_ID,
    channels: [channel('support', 'General', 'Customer support.')],
  },
];

const bucket = (plan: string, name: string) => ({ id: plannerIdFor(`${plan}:bucket:${name}`), name });

export const SEED_PLANS: readonly SeedPlan[] = [
  {
    id: plannerIdFor('sales-pipeline'),
    tenantId: DEMO_TENANT_ID,
    groupId: DEMO_GROUP_IDS.sales,
    title: 'Sales pipeline',
    buckets: ['Leads', 'Offers', 'Contracts'].map((name) => bucket('sales-pipeline', name)),
  },
  {
    id: plannerIdFor('support-cases'),
    tenantId: DEMO_TENANT_ID,
    groupId: DEMO_GROUP_IDS.support,
    title: 'Support cases',
    buckets: ['New', 'Waiting for customer', 'Solved'].map((name) => bucket('support-cases', name)),
  },
];

/** Every user's To Do starts with these lists; the first is the default list ("Tasks"). */
export const SEED_TODO_LISTS = [
  { key: 'tasks', displayName: 'Tasks', wellknownListName: 'defaultList' },
  { key: 'follow-ups', displayName: 'Follow-ups', wellknownListName: 'none' },
] as const;

/** To Do list ids are long base64 strings in Graph; derived per user so they survive restarts. */
export function todoListIdFor(userId: string, key: string): string {
  return `AAMk${deterministicBytes(`todo-list:${userId}:${key}`, 48).toString('base64url')}`;
}

/** A group's team site id part, for web URLs of its drive. */
export function groupSiteGuid(groupId: string): string {
  return deterministicGuid(`group-site:${groupId}`);
}

/** One library per Microsoft 365 (unified) group, with a folder per channel when the group has a team. */
export function groupDriveSeeds(tenants: readonly SeedTenant[]): SeedDrive[] {
  return tenants.flatMap((tenant) =>
    tenant.groups
      .filter((group) => group.groupTypes.includes('Unified'))
      .map((group) => {
        const team = SEED_TEAMS.find((t) => t.groupId === group.id);
        return groupDriveSeed(
          group,
          tenant.defaultDomain,
          (team?.channels ?? []).map((c) => c.displayName),
        );
      }),
  );
}

const seedTeam = (groupId: string) => {
  const team = SEED_TEAMS.find((t) => t.groupId === groupId);
  if (!team) throw new Error(`seed: no team for group ${groupId}`);
  return team;
};
const seedPlan = (title: string) => {
  const plan = SEED_PLANS.find((p) => p.title === title);
  if (!plan) throw new Error(`seed: no plan ${title}`);
  return plan;
};
const channelNamed = (team: SeedTeam, name: string) =>
  team.channels.find((c) => c.displayName === name)?.id ?? '';
const bucketNamed = (plan: SeedPlan, name: string) => plan.buckets.find((b) => b.name === name)?.id ?? '';

/** The seeded team "Sales" (channels General and Contracts) and plan "Sales pipeline", for fixtures. */
export const DEMO_TEAMS = {
  sales: {
    teamId: DEMO_GROUP_IDS.sales,
    channels: {
      general: channelNamed(seedTeam(DEMO_GROUP_IDS.sales), 'General'),
      contracts: channelNamed(seedTeam(DEMO_GROUP_IDS.sales), 'Contracts'),
    },
  },
  support: {
    teamId: DEMO_GROUP_IDS.support,
    channels: { general: channelNamed(seedTeam(DEMO_GROUP_IDS.support), 'General') },
  },
} as const;

export const DEMO_PLANS = {
  salesPipeline: {
    planId: seedPlan('Sales pipeline').id,
    groupId: DEMO_GROUP_IDS.sales,
    buckets: {
      leads: bucketNamed(seedPlan('Sales pipeline'), 'Leads'),
      offers: bucketNamed(seedPlan('Sales pipeline'), 'Offers'),
      contracts: bucketNamed(seedPlan('Sales pipeline'), 'Contracts'),
    },
  },
  supportCases: {
    planId: seedPlan('Support cases').id,
    groupId: DEMO_GROUP_IDS.support,
    buckets: { new: bucketNamed(seedPlan('Support cases'), 'New') },
  },
} as const;
