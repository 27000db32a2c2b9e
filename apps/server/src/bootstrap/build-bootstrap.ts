import {
  type AdministratorContact,
  type Bootstrap,
  bootstrapResponseSchema,
  type LicensedModule,
} from '@mailissa/contracts';
import type { AppContext } from '../app-context.js';
import type { Principal } from '../auth/authenticate.js';
import { withTenant } from '../db/database.js';
import { type ContentEncoding, compress } from '../http/compression.js';
import { listUserAdministrators } from '../targets/require-transfer-licence.js';
import type { TenantConfig } from '../targets/tenant-config-cache.js';
import { type Language, visibleTargetsWith } from '../targets/visible-targets.js';

/** Licences and the administrators to ask are reused this long (and dropped on any portal change). */
const USER_STATE_TTL_MS = 30_000;

interface UserState {
  licences: LicensedModule[];
  administrators: AdministratorContact[];
  at: number;
}

/** A built answer, and its compressed forms once a client has asked for them. */
export interface BootstrapAnswer {
  json: string;
  /** The answer compressed once per encoding and kept with it: compressing it per request cost 90 % of the throughput. */
  encoded(encoding: ContentEncoding): Buffer;
}

interface CachedAnswer {
  answer: BootstrapAnswer;
  config: TenantConfig;
  groups: unknown;
  state: UserState;
}

function answerOf(json: string): BootstrapAnswer {
  const encodings = new Map<ContentEncoding, Buffer>();
  return {
    json,
    encoded(encoding) {
      let buffer = encodings.get(encoding);
      if (!buffer) {
        buffer = compress(json, encoding);
        encodings.set(encoding, buffer);
      }
      return buffer;
    },
  };
}

/**
 * The add-in's first request in one answer: user, roles, licences and the visible targets grouped by
 * category in the user's language (decision 018). The finished JSON is kept per user and language and
 * reused while the tenant's configuration, the user's group memberships and licences are the very
 * objects it was built from, so a repeated call is a few map look-ups and no database round trip.
 */
export function createBootstrapBuilder(context: AppContext, options: { validate: boolean }) {
  const states = new Map<string, UserState>();
  const answers = new Map<string, CachedAnswer>();
  context.tenantConfig.onInvalidate(() => {
    // Cheap and always right: any change in any tenant drops the per-user state (a few rows to read).
    states.clear();
  });

  async function userState(principal: Principal): Promise<UserState> {
    const key = `${principal.tenantId}:${principal.userId}`;
    const now = context.now().getTime();
    const cached = states.get(key);
    if (cached && now - cached.at < USER_STATE_TTL_MS) return cached;
    const state = await withTenant(context.db, principal.tenantId, async (tx) => {
      const licences = await tx.query<{ module: LicensedModule }>(
        'select module from licence_assignments where tenant_id = $1 and user_id = $2 order by module',
        [principal.tenantId, principal.userId],
      );
      const modules = licences.rows.map((row) => row.module);
      return {
        licences: modules,
        administrators: modules.includes('transfer')
          ? []
          : await listUserAdministrators(tx, principal.tenantId),
        at: now,
      };
    });
    states.set(key, state);
    return state;
  }

  return async function buildBootstrap(principal: Principal, language: Language): Promise<BootstrapAnswer> {
    const [state, config] = await Promise.all([
      userState(principal),
      context.tenantConfig.get(principal.tenantId),
    ]);
    const licensed = state.licences.includes('transfer');
    // The user's groups (a cached Set; null when no target needs them) identify, with the config and
    // licence objects, what a cached answer was built from: if all are the same, so is the answer.
    const groups =
      licensed && config.usesGroups
        ? await context.memberships.groupsOf(principal.microsoftTenantId, principal.objectId)
        : null;
    const key = `${principal.userId}:${language}:${principal.displayName}:${principal.email}:${principal.roles.join(',')}`;
    const cached = answers.get(key);
    if (cached && cached.config === config && cached.state === state && cached.groups === groups) {
      return cached.answer;
    }
    const visible = licensed ? visibleTargetsWith(config, principal.objectId, groups ?? new Set()) : [];
    const grouped = new Map<string | null, Bootstrap['groups'][number]>();
    for (const target of visible) {
      const category = target.category_id ? config.categories.get(target.category_id) : undefined;
      const id = category?.id ?? null;
      let group = grouped.get(id);
      if (!group) {
        group = {
          category: category
            ? {
                id: category.id,
                name: language === 'de' ? category.name_de : category.name_en,
                color: category.color,
              }
            : null,
          targets: [],
        };
        grouped.set(id, group);
      }
      group.targets.push({
        id: target.id,
        title: language === 'de' ? target.title_de : target.title_en,
        connectorType: target.connector_type,
      });
    }
    const body: Bootstrap = {
      language,
      user: {
        id: principal.userId,
        displayName: principal.displayName,
        email: principal.email,
        roles: principal.roles,
      },
      tenant: { id: principal.tenantId, name: principal.tenantName },
      licences: state.licences,
      groups: [...grouped.values()],
      administrators: state.administrators,
    };
    if (options.validate) bootstrapResponseSchema.parse(body);
    const answer = answerOf(JSON.stringify(body));
    if (answers.size > 100_000) answers.clear();
    answers.set(key, { answer, config, state, groups });
    return answer;
  };
}
