import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EmulatorContext } from '../emulator-context.js';
import type { SeedGroup, SeedUser } from '../seed/directory-seed.js';
import { type GraphPrincipal, hasPermission, PERMISSIONS } from './graph-auth.js';
import { GraphError, notFoundInDirectory } from './graph-errors.js';
import {
  consistencyEventual,
  principalOf,
  queryOf,
  requirePermission,
  sendGraphJson,
} from './graph-request.js';
import { applySelect, decodeSkipToken, pageOf, parseSelect, parseTop } from './odata.js';
import { compileFilter, resolvePath } from './odata-filter.js';

const text = z.string().max(4096).optional();
const listQuery = z.looseObject({
  $top: text,
  $select: text,
  $filter: text,
  $search: text,
  $count: z.enum(['true', 'false']).optional(),
  $skiptoken: text,
  $orderby: text,
});
const entityQuery = z.looseObject({ $select: text });
const userParams = z.object({ user: z.string().min(1).max(320) });
const groupParams = z.object({ group: z.string().min(1).max(64) });
const checkMemberGroupsBody = z.object({ groupIds: z.array(z.string().max(64)).max(20) });
const getMemberGroupsBody = z.object({ securityEnabledOnly: z.boolean().optional() });

const USER_DEFAULT = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;
const USER_PROPERTIES = [...USER_DEFAULT, 'accountEnabled'];
const USER_FILTERABLE = [
  'id',
  'mail',
  'userPrincipalName',
  'displayName',
  'givenName',
  'surname',
  'jobTitle',
  'accountEnabled',
  'officeLocation',
];
const USER_SEARCHABLE = ['displayName', 'mail', 'userPrincipalName', 'givenName', 'surname', 'jobTitle'];

const GROUP_PROPERTIES = [
  'id',
  'deletedDateTime',
  'classification',
  'createdDateTime',
  'description',
  'displayName',
  'groupTypes',
  'mail',
  'mailEnabled',
  'mailNickname',
  'securityEnabled',
  'visibility',
];
const GROUP_FILTERABLE = [
  'id',
  'displayName',
  'mail',
  'mailNickname',
  'mailEnabled',
  'securityEnabled',
  'description',
];
const GROUP_SEARCHABLE = ['displayName', 'description', 'mail', 'mailNickname'];

function userJson(user: SeedUser, withAccountEnabled = false): Record<string, unknown> {
  return {
    businessPhones: user.businessPhones,
    displayName: user.displayName,
    givenName: user.givenName,
    jobTitle: user.jobTitle,
    mail: user.mail,
    mobilePhone: user.mobilePhone,
    officeLocation: user.officeLocation,
    preferredLanguage: user.preferredLanguage,
    surname: user.surname,
    userPrincipalName: user.userPrincipalName,
    id: user.id,
    ...(withAccountEnabled ? { accountEnabled: user.accountEnabled } : {}),
  };
}

function groupJson(group: SeedGroup): Record<string, unknown> {
  return {
    id: group.id,
    deletedDateTime: null,
    classification: null,
    createdDateTime: group.createdDateTime,
    description: group.description,
    displayName: group.displayName,
    groupTypes: group.groupTypes,
    mail: group.mail,
    mailEnabled: group.mailEnabled,
    mailNickname: group.mailNickname,
    securityEnabled: group.securityEnabled,
    visibility: group.visibility,
  };
}

/**
 * `$search="displayName:ann" AND "mail:contoso"`: Graph's directory search matches the start of
 * words (tokenised on non-alphanumerics), case-insensitively.
 */
function compileSearch(
  search: string,
  searchable: string[],
  resource: string,
): (entity: Record<string, unknown>) => boolean {
  const clause = /^\s*"([A-Za-z]+):([^"]*)"\s*/;
  const terms: Array<{ property: string; value: string; joiner: 'AND' | 'OR' }> = [];
  let rest = search;
  let joiner: 'AND' | 'OR' = 'AND';
  while (rest.length > 0) {
    const match = clause.exec(rest);
    if (!match?.[1]) {
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `Syntax error: character '${rest.trim()[0] ?? ''}' is not valid at position ${search.length - rest.length} in '${search}'.`,
      );
    }
    const property = searchable.find((p) => p.toLowerCase() === match[1]?.toLowerCase());
    if (!property) {
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `Property '${match[1]}' is not searchable on '${resource}'.`,
      );
    }
    terms.push({ property, value: (match[2] ?? '').toLowerCase(), joiner });
    rest = rest.slice(match[0].length);
    const op = /^(AND|OR)\s+/.exec(rest);
    if (op?.[1]) {
      joiner = op[1] as 'AND' | 'OR';
      rest = rest.slice(op[0].length);
    } else if (rest.length > 0) {
      throw new GraphError(400, 'Request_UnsupportedQuery', `Syntax error in $search '${search}'.`);
    }
  }
  const matches = (entity: Record<string, unknown>, term: { property: string; value: string }) => {
    const value = entity[term.property];
    if (typeof value !== 'string') return false;
    const words = value
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    const needles = term.value.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    return needles.every(
      (needle) => words.some((word) => word.startsWith(needle)) || value.toLowerCase().startsWith(needle),
    );
  };
  return (entity) =>
    terms.reduce<boolean>(
      (result, term, index) =>
        index === 0
          ? matches(entity, term)
          : term.joiner === 'AND'
            ? result && matches(entity, term)
            : result || matches(entity, term),
      false,
    );
}

/** Shared handling of a directory collection: advanced-query rules, $filter, $search, $count, paging. */
function directoryCollection(input: {
  request: FastifyRequest;
  context: EmulatorContext;
  entities: Array<Record<string, unknown>>;
  filterable: string[];
  searchable: string[];
  selectable: readonly string[];
  typeName: string;
  resource: string;
  contextPath: string;
  url: string;
  keepAlways?: string[];
}): Record<string, unknown> {
  const query = queryOf(input.request);
  const eventual = consistencyEventual(input.request);
  const count = query.$count === 'true';
  let entities = input.entities;
  if (query.$search !== undefined) {
    if (!eventual) {
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      );
    }
    const test = compileSearch(query.$search, input.searchable, input.resource);
    entities = entities.filter(test);
  }
  if (query.$filter !== undefined) {
    const filter = compileFilter(query.$filter, input.filterable, input.resource);
    const advanced = filter.features.advanced[0];
    if (advanced && !(eventual && count)) {
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `Operator '${advanced}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
      );
    }
    entities = entities.filter((entity) => filter.test((property) => resolvePath(entity, property)));
  }
  if (query.$orderby !== undefined) {
    const match = /^(displayName|userPrincipalName|mail)(\s+(asc|desc))?$/i.exec(query.$orderby.trim());
    if (!match?.[1]) {
      throw new GraphError(400, 'Request_UnsupportedQuery', `Unsupported $orderby '${query.$orderby}'.`);
    }
    const property = match[1];
    const direction = match[3]?.toLowerCase() === 'desc' ? -1 : 1;
    entities = [...entities].sort(
      (a, b) => direction * String(a[property] ?? '').localeCompare(String(b[property] ?? '')),
    );
  }
  const select = parseSelect(query.$select, input.selectable, input.typeName);
  const top = parseTop(query.$top, 999, 100);
  const offset = decodeSkipToken(query.$skiptoken);
  const page = pageOf({ items: entities, offset, top, url: input.url, query, pageParameter: '$skiptoken' });
  const contextUrl = `${input.context.graphBase}/$metadata#${input.contextPath}${select ? `(${select.join(',')})` : ''}`;
  return {
    '@odata.context': contextUrl,
    ...(eventual && count && offset === 0 ? { '@odata.count': entities.length } : {}),
    ...(page.nextLink ? { '@odata.nextLink': page.nextLink } : {}),
    value: page.value.map((entity) => applySelect(entity, select, input.keepAlways)),
  };
}

/** Graph's directory subset: users, groups, membership (docs/microsoft-365.md §5.1–5.4, §4.3). */
export const directoryRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (
  app,
  { context },
) => {
  const { directory } = context;
  const schemaBase = { tags: ['emulator'], security: [{ bearer: [] }] };

  /** The user a `/users/{id|upn}` or `/me` path names, in the caller's tenant only. */
  function resolveUser(principal: GraphPrincipal, key: string | undefined): SeedUser {
    if (key === undefined) {
      if (principal.kind !== 'delegated') {
        throw new GraphError(
          400,
          'BadRequest',
          '/me request is only valid with delegated authentication flow.',
        );
      }
      const me = directory.user(principal.tenantId, principal.userId);
      if (!me) throw notFoundInDirectory(principal.userId);
      return me;
    }
    const user = directory.user(principal.tenantId, key);
    if (!user) throw notFoundInDirectory(key);
    return user;
  }

  const isSelf = (principal: GraphPrincipal, user: SeedUser) =>
    principal.kind === 'delegated' && principal.userId === user.id;

  function requireUserRead(principal: GraphPrincipal, user: SeedUser): void {
    requirePermission(
      principal,
      isSelf(principal, user) ? PERMISSIONS.readSelf : PERMISSIONS.readUsers,
      'directory',
    );
  }

  /** Membership of oneself needs only User.Read; anybody else's needs group read permissions. */
  function requireMembershipRead(principal: GraphPrincipal, user: SeedUser): void {
    if (isSelf(principal, user) && hasPermission(principal, PERMISSIONS.readSelf)) return;
    requirePermission(principal, PERMISSIONS.readGroups, 'directory');
  }

  const userEntity = (request: FastifyRequest, key: string | undefined) => {
    const principal = principalOf(request);
    const user = resolveUser(principal, key);
    requireUserRead(principal, user);
    const select = parseSelect(queryOf(request).$select, USER_PROPERTIES, 'microsoft.graph.user');
    return {
      '@odata.context': `${context.graphBase}/$metadata#users${select ? `(${select.join(',')})` : ''}/$entity`,
      ...applySelect(userJson(user, select?.includes('accountEnabled')), select),
    };
  };

  app.get(
    '/me',
    { schema: { ...schemaBase, summary: 'Graph: the signed-in user', querystring: entityQuery } },
    async (request, reply) => sendGraphJson(reply, userEntity(request, undefined)),
  );

  app.get(
    '/users',
    { schema: { ...schemaBase, summary: 'Graph: list users', querystring: listQuery } },
    async (request, reply) => {
      const principal = principalOf(request);
      requirePermission(principal, PERMISSIONS.readUsers, 'directory');
      const select = parseSelect(queryOf(request).$select, USER_PROPERTIES, 'microsoft.graph.user');
      return sendGraphJson(
        reply,
        directoryCollection({
          request,
          context,
          entities: directory
            .users(principal.tenantId)
            .map((u) => userJson(u, select?.includes('accountEnabled'))),
          filterable: USER_FILTERABLE,
          searchable: USER_SEARCHABLE,
          selectable: USER_PROPERTIES,
          typeName: 'microsoft.graph.user',
          resource: 'User',
          contextPath: 'users',
          url: `${context.graphBase}/users`,
        }),
      );
    },
  );

  const countRoute = (kind: 'users' | 'groups') =>
    app.get(
      `/${kind}/$count`,
      { schema: { ...schemaBase, summary: `Graph: count ${kind} (advanced query)` } },
      async (request, reply) => {
        const principal = principalOf(request);
        requirePermission(
          principal,
          kind === 'users' ? PERMISSIONS.readUsers : PERMISSIONS.readGroups,
          'directory',
        );
        if (!consistencyEventual(request)) {
          throw new GraphError(400, 'Request_BadRequest', '$count is not currently supported.');
        }
        const count =
          kind === 'users'
            ? directory.users(principal.tenantId).length
            : directory.groups(principal.tenantId).length;
        return reply.type('text/plain; charset=utf-8').send(String(count));
      },
    );
  countRoute('users');
  countRoute('groups');

  app.get(
    '/users/:user',
    {
      schema: {
        ...schemaBase,
        summary: 'Graph: a user by id or userPrincipalName',
        params: userParams,
        querystring: entityQuery,
      },
    },
    async (request, reply) => sendGraphJson(reply, userEntity(request, request.params.user)),
  );

  const memberOf = (transitive: boolean) => async (request: FastifyRequest, key: string | undefined) => {
    const principal = principalOf(request);
    const user = resolveUser(principal, key);
    requireMembershipRead(principal, user);
    const groups = transitive
      ? directory.transitiveGroupsOf(principal.tenantId, user.id)
      : directory.groups(principal.tenantId).filter((g) => g.memberIds.includes(user.id));
    const relation = transitive ? 'transitiveMemberOf' : 'memberOf';
    return directoryCollection({
      request,
      context,
      entities: groups.map((g) => ({ '@odata.type': '#microsoft.graph.group', ...groupJson(g) })),
      filterable: GROUP_FILTERABLE,
      searchable: GROUP_SEARCHABLE,
      selectable: GROUP_PROPERTIES,
      typeName: 'microsoft.graph.group',
      resource: 'Group',
      contextPath: 'directoryObjects',
      url: `${context.graphBase}/${key === undefined ? 'me' : `users/${encodeURIComponent(key)}`}/${relation}`,
    });
  };
  for (const relation of ['transitiveMemberOf', 'memberOf'] as const) {
    const handler = memberOf(relation === 'transitiveMemberOf');
    app.get(
      `/me/${relation}`,
      {
        schema: {
          ...schemaBase,
          summary: `Graph: groups of the signed-in user (${relation})`,
          querystring: listQuery,
        },
      },
      async (request, reply) => sendGraphJson(reply, await handler(request, undefined)),
    );
    app.get(
      `/users/:user/${relation}`,
      {
        schema: {
          ...schemaBase,
          summary: `Graph: groups of a user (${relation})`,
          params: userParams,
          querystring: listQuery,
        },
      },
      async (request, reply) => sendGraphJson(reply, await handler(request, request.params.user)),
    );
  }

  const checkMemberGroups = (request: FastifyRequest, key: string | undefined, groupIds: string[]) => {
    const principal = principalOf(request);
    const user = resolveUser(principal, key);
    requireMembershipRead(principal, user);
    const member = new Set(directory.transitiveGroupsOf(principal.tenantId, user.id).map((g) => g.id));
    return {
      '@odata.context': `${context.graphBase}/$metadata#Collection(Edm.String)`,
      value: groupIds.filter((id) => member.has(id.toLowerCase())),
    };
  };
  app.post(
    '/me/checkMemberGroups',
    {
      schema: {
        ...schemaBase,
        summary: 'Graph: which of these groups the signed-in user belongs to',
        body: checkMemberGroupsBody,
      },
    },
    async (request, reply) =>
      sendGraphJson(reply, checkMemberGroups(request, undefined, request.body.groupIds)),
  );
  app.post(
    '/users/:user/checkMemberGroups',
    {
      schema: {
        ...schemaBase,
        summary: 'Graph: which of these groups a user belongs to',
        params: userParams,
        body: checkMemberGroupsBody,
      },
    },
    async (request, reply) =>
      sendGraphJson(reply, checkMemberGroups(request, request.params.user, request.body.groupIds)),
  );

  const getMemberGroups = (request: FastifyRequest, key: string | undefined, securityOnly: boolean) => {
    const principal = principalOf(request);
    const user = resolveUser(principal, key);
    requireMembershipRead(principal, user);
    const groups = directory
      .transitiveGroupsOf(principal.tenantId, user.id)
      .filter((g) => !securityOnly || g.securityEnabled);
    return {
      '@odata.context': `${context.graphBase}/$metadata#Collection(Edm.String)`,
      value: groups.map((g) => g.id),
    };
  };
  app.post(
    '/me/getMemberGroups',
    {
      schema: {
        ...schemaBase,
        summary: 'Graph: all groups of the signed-in user',
        body: getMemberGroupsBody,
      },
    },
    async (request, reply) =>
      sendGraphJson(reply, getMemberGroups(request, undefined, request.body.securityEnabledOnly ?? false)),
  );
  app.post(
    '/users/:user/getMemberGroups',
    {
      schema: {
        ...schemaBase,
        summary: 'Graph: all groups of a user',
        params: userParams,
        body: getMemberGroupsBody,
      },
    },
    async (request, reply) =>
      sendGraphJson(
        reply,
        getMemberGroups(request, request.params.user, request.body.securityEnabledOnly ?? false),
      ),
  );

  app.get(
    '/groups',
    { schema: { ...schemaBase, summary: 'Graph: list groups', querystring: listQuery } },
    async (request, reply) => {
      const principal = principalOf(request);
      requirePermission(principal, PERMISSIONS.readGroups, 'directory');
      return sendGraphJson(
        reply,
        directoryCollection({
          request,
          context,
          entities: directory.groups(principal.tenantId).map(groupJson),
          filterable: GROUP_FILTERABLE,
          searchable: GROUP_SEARCHABLE,
          selectable: GROUP_PROPERTIES,
          typeName: 'microsoft.graph.group',
          resource: 'Group',
          contextPath: 'groups',
          url: `${context.graphBase}/groups`,
        }),
      );
    },
  );

  const groupOf = (request: FastifyRequest, id: string) => {
    const principal = principalOf(request);
    requirePermission(principal, PERMISSIONS.readGroups, 'directory');
    const group = directory.group(principal.tenantId, id);
    if (!group) throw notFoundInDirectory(id);
    return group;
  };

  app.get(
    '/groups/:group',
    { schema: { ...schemaBase, summary: 'Graph: a group', params: groupParams, querystring: entityQuery } },
    async (request, reply) => {
      const group = groupOf(request, request.params.group);
      const select = parseSelect(queryOf(request).$select, GROUP_PROPERTIES, 'microsoft.graph.group');
      return sendGraphJson(reply, {
        '@odata.context': `${context.graphBase}/$metadata#groups${select ? `(${select.join(',')})` : ''}/$entity`,
        ...applySelect(groupJson(group), select),
      });
    },
  );

  for (const relation of ['members', 'transitiveMembers'] as const) {
    app.get(
      `/groups/:group/${relation}`,
      {
        schema: {
          ...schemaBase,
          summary: `Graph: ${relation} of a group`,
          params: groupParams,
          querystring: listQuery,
        },
      },
      async (request, reply) => {
        const group = groupOf(request, request.params.group);
        const seen = new Map<string, Record<string, unknown>>();
        const walk = (current: SeedGroup) => {
          for (const member of directory.members(current)) {
            if (member.type === 'user') {
              seen.set(member.user.id, { '@odata.type': '#microsoft.graph.user', ...userJson(member.user) });
            } else if (!seen.has(member.group.id)) {
              seen.set(member.group.id, {
                '@odata.type': '#microsoft.graph.group',
                ...groupJson(member.group),
              });
              if (relation === 'transitiveMembers') walk(member.group);
            }
          }
        };
        walk(group);
        return sendGraphJson(
          reply,
          directoryCollection({
            request,
            context,
            entities: [...seen.values()],
            filterable: ['id', 'displayName', 'mail'],
            searchable: ['displayName', 'mail'],
            selectable: [...new Set([...USER_PROPERTIES, ...GROUP_PROPERTIES])],
            typeName: 'microsoft.graph.directoryObject',
            resource: 'DirectoryObject',
            contextPath: 'directoryObjects',
            url: `${context.graphBase}/groups/${group.id}/${relation}`,
          }),
        );
      },
    );
  }
};
