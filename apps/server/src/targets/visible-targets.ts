import type { TargetSummary } from '@mailissa/contracts';
import type { GroupMembershipCache } from './group-membership-cache.js';
import type { TargetRow } from './targets.rows.js';
import type { TenantConfig } from './tenant-config-cache.js';

export type Language = 'en' | 'de';

export interface Viewer {
  microsoftTenantId: string;
  objectId: string;
}

type ConfiguredTarget = TenantConfig['targets'][number];

function visibleWith(target: ConfiguredTarget, objectId: string, groups: Set<string>): boolean {
  if (target.visible_to_everyone) return true;
  if (target.users.has(objectId)) return true;
  for (const group of target.groups) if (groups.has(group)) return true;
  return false;
}

/**
 * The targets one user may see: visible to everyone, or naming the user or one of the groups they
 * belong to (transitively). Group memberships are resolved only when some target needs them.
 */
export async function visibleTargets(
  config: TenantConfig,
  viewer: Viewer,
  memberships: GroupMembershipCache,
): Promise<ConfiguredTarget[]> {
  const objectId = viewer.objectId.toLowerCase();
  const needsGroups =
    config.usesGroups && config.targets.some((t) => !t.visible_to_everyone && !t.users.has(objectId));
  const groups = needsGroups
    ? await memberships.groupsOf(viewer.microsoftTenantId, objectId)
    : new Set<string>();
  return config.targets.filter((target) => visibleWith(target, objectId, groups));
}

/** The targets visible to a user whose (transitive) groups are known. */
export function visibleTargetsWith(
  config: TenantConfig,
  objectId: string,
  groups: Set<string>,
): ConfiguredTarget[] {
  const id = objectId.toLowerCase();
  return config.targets.filter((target) => visibleWith(target, id, groups));
}

/** Whether one target (enabled, live) is visible to the user; a target not found is not visible. */
export async function isTargetVisible(
  config: TenantConfig,
  viewer: Viewer,
  memberships: GroupMembershipCache,
  targetId: string,
): Promise<boolean> {
  const target = config.targets.find((t) => t.id === targetId);
  if (!target) return false;
  const objectId = viewer.objectId.toLowerCase();
  if (target.visible_to_everyone || target.users.has(objectId)) return true;
  if (target.groups.size === 0) return false;
  const groups = await memberships.groupsOf(viewer.microsoftTenantId, objectId);
  return visibleWith(target, objectId, groups);
}

export function toTargetSummary(config: TenantConfig, target: TargetRow, language: Language): TargetSummary {
  const category = target.category_id ? config.categories.get(target.category_id) : undefined;
  return {
    id: target.id,
    title: language === 'de' ? target.title_de : target.title_en,
    category: category ? (language === 'de' ? category.name_de : category.name_en) : '',
    categoryId: category?.id ?? null,
    categoryColor: category?.color ?? null,
    connectorType: target.connector_type,
  };
}

/** `lang` if given, else the user's first Accept-Language if we speak it, else the tenant's default. */
export function languageOf(
  lang: string | undefined,
  acceptLanguage: string | undefined,
  tenantDefault: Language = 'en',
): Language {
  if (lang === 'de' || lang === 'en') return lang;
  // The user's first choice only: someone who prefers French gets the organisation's language
  // (tenant settings), not whichever of ours happens to follow further down their list.
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().slice(0, 2).toLowerCase();
  return first === 'de' || first === 'en' ? first : tenantDefault;
}
