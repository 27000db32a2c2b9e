import type { GraphClient } from '../graph/graph-client.js';

/** A user's groups are taken as current for this long (docs/product.md: visibility, decision 018). */
export const MEMBERSHIP_FRESH_MS = 5 * 60_000;
/** Older than fresh but younger than this: served at once while a refresh runs in the background. */
export const MEMBERSHIP_STALE_MS = 60 * 60_000;
const MAX_ENTRIES = 50_000;

interface Entry {
  groups: Set<string>;
  fetchedAt: number;
  refreshing: Promise<Set<string>> | null;
}

/**
 * Every group a user belongs to, directly or through nested groups (Graph `transitiveMemberOf`,
 * docs/microsoft-365.md §5.3), cached per user in the process. A fresh entry is served as it is; a
 * stale one is served while a background refresh replaces it; only a missing or very old entry makes
 * the request wait for Graph. Concurrent misses for one user share one Graph call.
 */
export class GroupMembershipCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly graphFor: (microsoftTenantId: string) => GraphClient,
    private readonly clock: () => number = Date.now,
  ) {}

  async groupsOf(microsoftTenantId: string, objectId: string): Promise<Set<string>> {
    const key = `${microsoftTenantId}:${objectId}`.toLowerCase();
    const entry = this.entries.get(key);
    const age = entry ? this.clock() - entry.fetchedAt : Number.POSITIVE_INFINITY;
    if (entry && age < MEMBERSHIP_FRESH_MS) return entry.groups;
    if (entry && age < MEMBERSHIP_STALE_MS) {
      // Stale: answer now, refresh behind; a failed refresh keeps the old answer until it is too old.
      if (!entry.refreshing) this.refresh(key, microsoftTenantId, objectId).catch(() => {});
      return entry.groups;
    }
    return this.refresh(key, microsoftTenantId, objectId);
  }

  /** The user's current group set without loading anything (undefined when not cached). */
  peek(microsoftTenantId: string, objectId: string): Set<string> | undefined {
    return this.entries.get(`${microsoftTenantId}:${objectId}`.toLowerCase())?.groups;
  }

  /** Forgets one user (null: everybody), e.g. after an administrator's change in a test. */
  forget(microsoftTenantId?: string, objectId?: string): void {
    if (microsoftTenantId && objectId) this.entries.delete(`${microsoftTenantId}:${objectId}`.toLowerCase());
    else this.entries.clear();
  }

  private refresh(key: string, microsoftTenantId: string, objectId: string): Promise<Set<string>> {
    const existing = this.entries.get(key);
    if (existing?.refreshing) return existing.refreshing;
    const loading = fetchTransitiveGroups(this.graphFor(microsoftTenantId), objectId).then(
      (groups) => {
        if (this.entries.size >= MAX_ENTRIES && !this.entries.has(key)) {
          const oldest = this.entries.keys().next().value;
          if (oldest !== undefined) this.entries.delete(oldest);
        }
        this.entries.set(key, { groups, fetchedAt: this.clock(), refreshing: null });
        return groups;
      },
      (error: unknown) => {
        const stale = this.entries.get(key);
        if (stale) stale.refreshing = null;
        throw error;
      },
    );
    if (existing) existing.refreshing = loading;
    else {
      // Concurrent first requests wait for the same call.
      this.entries.set(key, { groups: new Set(), fetchedAt: Number.NEGATIVE_INFINITY, refreshing: loading });
    }
    return loading;
  }
}

/** Group ids (lower case) from `/users/{id}/transitiveMemberOf`, every page. */
export async function fetchTransitiveGroups(graph: GraphClient, objectId: string): Promise<Set<string>> {
  const groups = new Set<string>();
  for await (const item of graph.paginate<{ id: string; '@odata.type'?: string }>(
    `/users/${encodeURIComponent(objectId)}/transitiveMemberOf?$select=id&$top=999`,
  )) {
    if (item['@odata.type'] === undefined || item['@odata.type'] === '#microsoft.graph.group') {
      groups.add(item.id.toLowerCase());
    }
  }
  return groups;
}
