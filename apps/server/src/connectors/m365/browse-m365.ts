import type { GraphClient } from '../../graph/graph-client.js';

/**
 * The portal's pickers for the Microsoft targets, through Graph app-only (docs/microsoft-365.md
 * §7.5, §7.6): teams and their channels, Microsoft 365 groups with their plans and buckets. The
 * administrator picks; nobody types a channel or plan id. Who may file there is decided per user.
 */
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

export async function listTeams(graph: GraphClient) {
  const teams: { id: string; name: string }[] = [];
  for await (const team of graph.paginate<{ id: string; displayName?: string }>(
    '/teams?$select=id,displayName',
  )) {
    teams.push({ id: team.id, name: team.displayName ?? team.id });
  }
  return teams.sort(byName);
}

export async function listChannels(graph: GraphClient, teamId: string) {
  const channels: { id: string; name: string }[] = [];
  for await (const channel of graph.paginate<{ id: string; displayName: string }>(
    `/teams/${encodeURIComponent(teamId)}/channels?$select=id,displayName`,
  )) {
    channels.push({ id: channel.id, name: channel.displayName });
  }
  return channels;
}

export async function listPlanGroups(graph: GraphClient) {
  const groups: { id: string; name: string }[] = [];
  for await (const group of graph.paginate<{ id: string; displayName: string; groupTypes?: string[] }>(
    '/groups?$select=id,displayName,groupTypes&$top=999',
  )) {
    // Only Microsoft 365 ("Unified") groups own plans.
    if (group.groupTypes?.includes('Unified')) groups.push({ id: group.id, name: group.displayName });
    if (groups.length >= 1000) break;
  }
  return groups.sort(byName);
}

export async function listPlans(graph: GraphClient, groupId: string) {
  const plans: { id: string; name: string }[] = [];
  for await (const plan of graph.paginate<{ id: string; title: string }>(
    `/groups/${encodeURIComponent(groupId)}/planner/plans`,
  )) {
    plans.push({ id: plan.id, name: plan.title });
  }
  return plans.sort(byName);
}

export async function listBuckets(graph: GraphClient, planId: string) {
  const buckets: { id: string; name: string }[] = [];
  for await (const bucket of graph.paginate<{ id: string; name: string }>(
    `/planner/plans/${encodeURIComponent(planId)}/buckets`,
  )) {
    buckets.push({ id: bucket.id, name: bucket.name });
  }
  return buckets;
}
