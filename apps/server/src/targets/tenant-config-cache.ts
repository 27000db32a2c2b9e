import { type Database, withTenant } from '../db/database.js';
import { TENANT_CONFIG_CHANNEL } from './bump-tenant-config.js';
import type { CategoryRow, TargetRow, VisibilityRow } from './targets.rows.js';

/** A tenant's targets, categories and visibility rules as the add-in's hot path needs them. */
export interface TenantConfig {
  version: number;
  categories: Map<string, CategoryRow>;
  /** Live, enabled targets, ordered by category position and title. */
  targets: Array<TargetRow & { users: Set<string>; groups: Set<string> }>;
  /** Some target is restricted to groups: only then must a user's memberships be resolved. */
  usesGroups: boolean;
  /** The tenant's language for users whose own one Mailissa does not speak (tenant settings). */
  defaultLanguage: 'en' | 'de';
}

/** After this long an entry's version is checked again (one cheap query), in case a notice got lost. */
const RECHECK_MS = 30_000;

/**
 * Caches each tenant's configuration in the process (decision 018). An entry is dropped when this
 * process changes the tenant (`invalidate`, after the commit) and, on PostgreSQL, when another server
 * does (LISTEN/NOTIFY on `mailissa_tenant_config`); after RECHECK_MS its version is compared with
 * `tenants.config_version` as a safety net. A load that raced with an invalidation is not kept.
 */
export class TenantConfigCache {
  private readonly entries = new Map<string, { config: TenantConfig; checkedAt: number }>();
  private readonly generations = new Map<string, number>();
  private readonly listeners = new Set<(tenantId: string | null) => void>();
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly db: Database,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Subscribes to other servers' changes where the database can tell us (PostgreSQL). */
  async start(): Promise<void> {
    if (!this.db.listen) return;
    this.unlisten = await this.db.listen(
      TENANT_CONFIG_CHANNEL,
      (tenantId) => this.invalidate(tenantId),
      () => this.invalidate(null),
    );
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
  }

  /** Called with a tenant id when that tenant changed, with null when every tenant may have. */
  onInvalidate(listener: (tenantId: string | null) => void): void {
    this.listeners.add(listener);
  }

  invalidate(tenantId: string | null): void {
    if (tenantId === null) {
      this.entries.clear();
      for (const key of this.generations.keys())
        this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    } else {
      this.entries.delete(tenantId);
      this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1);
    }
    for (const listener of this.listeners) listener(tenantId);
  }

  async get(tenantId: string): Promise<TenantConfig> {
    const entry = this.entries.get(tenantId);
    const now = this.clock();
    if (entry && now - entry.checkedAt < RECHECK_MS) return entry.config;
    if (entry) {
      const current = await this.db.query<{ config_version: number }>(
        'select config_version from tenants where id = $1',
        [tenantId],
      );
      if (current.rows[0]?.config_version === entry.config.version) {
        entry.checkedAt = now;
        return entry.config;
      }
    }
    const generation = this.generations.get(tenantId) ?? 0;
    const config = await loadTenantConfig(this.db, tenantId);
    if ((this.generations.get(tenantId) ?? 0) === generation) {
      this.entries.set(tenantId, { config, checkedAt: now });
    }
    return config;
  }
}

/** Reads the tenant's configuration in one transaction, so version and rows agree. */
export async function loadTenantConfig(db: Database, tenantId: string): Promise<TenantConfig> {
  return withTenant(db, tenantId, async (tx) => {
    const version = await tx.query<{ config_version: number; default_language: 'en' | 'de' | null }>(
      `select t.config_version,
              (select ts.default_language from tenant_settings ts where ts.tenant_id = t.id) as default_language
         from tenants t where t.id = $1`,
      [tenantId],
    );
    const categories = await tx.query<CategoryRow>(
      `select * from categories where tenant_id = $1 and module = 'transfer' order by position, name_en`,
      [tenantId],
    );
    const targets = await tx.query<TargetRow>(
      `select g.* from targets g
         left join categories c on c.id = g.category_id and c.tenant_id = g.tenant_id
        where g.tenant_id = $1 and g.enabled and g.deleted_at is null
        order by c.position nulls last, g.title_en, g.id`,
      [tenantId],
    );
    const visibility = await tx.query<VisibilityRow>(
      `select v.target_id, v.principal_type, v.principal_id, v.display_name
         from target_visibility v join targets g on g.id = v.target_id and g.tenant_id = v.tenant_id
        where v.tenant_id = $1 and g.deleted_at is null and not g.visible_to_everyone`,
      [tenantId],
    );
    const byTarget = new Map<string, { users: Set<string>; groups: Set<string> }>();
    for (const row of visibility.rows) {
      const sets = byTarget.get(row.target_id) ?? { users: new Set<string>(), groups: new Set<string>() };
      (row.principal_type === 'user' ? sets.users : sets.groups).add(row.principal_id.toLowerCase());
      byTarget.set(row.target_id, sets);
    }
    const withRules = targets.rows.map((target) => ({
      ...target,
      ...(byTarget.get(target.id) ?? { users: new Set<string>(), groups: new Set<string>() }),
    }));
    return {
      version: version.rows[0]?.config_version ?? 0,
      categories: new Map(categories.rows.map((row) => [row.id, row])),
      targets: withRules,
      usesGroups: withRules.some((target) => !target.visible_to_everyone && target.groups.size > 0),
      defaultLanguage: version.rows[0]?.default_language ?? 'en',
    };
  });
}
