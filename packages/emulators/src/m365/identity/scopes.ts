/** Microsoft Graph as a resource: the `aud` of its tokens and its well-known application id. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/**
 * The commercial marketplace's SaaS fulfillment API as a resource: Microsoft's fixed application id,
 * the `aud` of the publisher's client-credentials tokens for it (and the `azp` of the tokens the
 * marketplace sends to the publisher's webhook).
 */
export const MARKETPLACE_RESOURCE = '20e940b3-4c77-4b0b-9a53-9e16a1b010a7';

export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

/** Delegated Graph permissions the emulator knows; requested by short name or full URI. */
const GRAPH_DELEGATED_SCOPES = [
  'User.Read',
  'User.ReadBasic.All',
  'User.Read.All',
  'GroupMember.Read.All',
  'Group.Read.All',
  'Directory.Read.All',
  'Mail.Read',
  'Mail.ReadBasic',
  'Mail.ReadWrite',
  'Mail.Read.Shared',
  'Mail.ReadWrite.Shared',
  'MailboxSettings.Read',
  'MailboxSettings.ReadWrite',
  'Files.Read',
  'Files.Read.All',
  'Files.ReadWrite',
  'Files.ReadWrite.All',
  'Sites.Read.All',
  'Sites.ReadWrite.All',
  'Calendars.Read',
  'Tasks.ReadWrite',
  'Tasks.Read',
  'ChannelMessage.Send',
  'ChannelMessage.Read.All',
  'Team.ReadBasic.All',
  'Channel.ReadBasic.All',
  'Group.ReadWrite.All',
] as const;

/**
 * What `https://graph.microsoft.com/.default` grants a user: the permissions an administrator of a
 * demo tenant has consented to for Mailissa.
 */
export const GRAPH_CONSENTED_DELEGATED_SCOPES = [
  'User.Read',
  'User.ReadBasic.All',
  'GroupMember.Read.All',
  'Mail.ReadWrite',
  'MailboxSettings.ReadWrite',
  'Files.ReadWrite.All',
  'Sites.ReadWrite.All',
  // The Microsoft targets act as the user (on-behalf-of): OneDrive, Teams channels, Planner, To Do.
  'Tasks.ReadWrite',
  'ChannelMessage.Send',
  'Team.ReadBasic.All',
  'Channel.ReadBasic.All',
];

/** Application permissions (`roles`) an app-only Graph token carries in every demo tenant. */
export const GRAPH_APPLICATION_ROLES = [
  'User.Read.All',
  'Group.Read.All',
  'GroupMember.Read.All',
  'Mail.Read',
  // Team writes its categories onto members' copies and into their master lists (decision 055).
  'Mail.ReadWrite',
  'MailboxSettings.Read',
  'MailboxSettings.ReadWrite',
  'Files.ReadWrite.All',
  'Sites.ReadWrite.All',
  // What the portal's pickers read app-only: teams and their channels, plans and their buckets.
  'Team.ReadBasic.All',
  'Channel.ReadBasic.All',
  'Tasks.Read.All',
];

/** The one delegated scope our own API exposes. */
export const API_SCOPE = 'access_as_user';

const graphByLowerName = new Map(GRAPH_DELEGATED_SCOPES.map((scope) => [scope.toLowerCase(), scope]));

export type ResourceKind = 'api' | 'graph' | 'marketplace';

export interface RequestedScopes {
  /** OIDC scopes as requested (lower case). */
  oidc: Set<string>;
  /** Resources in the order they first appear: a token is issued for the first (Entra's rule). */
  resources: ResourceKind[];
  api: Set<string>;
  graph: Set<string>;
  /** Scopes that name no known resource or permission. */
  unknown: string[];
  /** `.default` was requested for a resource. */
  defaultFor: Set<ResourceKind>;
}

/** Splits a space-separated scope parameter into OIDC scopes and per-resource permissions. */
export function parseScopes(scopeParameter: string, clientId: string): RequestedScopes {
  const result: RequestedScopes = {
    oidc: new Set(),
    resources: [],
    api: new Set(),
    graph: new Set(),
    unknown: [],
    defaultFor: new Set(),
  };
  const client = clientId.toLowerCase();
  const addResource = (kind: ResourceKind) => {
    if (!result.resources.includes(kind)) result.resources.push(kind);
  };
  for (const raw of scopeParameter.split(/\s+/).filter(Boolean)) {
    const lower = raw.toLowerCase();
    if ((OIDC_SCOPES as readonly string[]).includes(lower)) {
      result.oidc.add(lower);
      continue;
    }
    if (
      lower === `api://${client}/${API_SCOPE}` ||
      lower === `api://${client}/.default` ||
      lower === `${client}/.default`
    ) {
      addResource('api');
      result.api.add(API_SCOPE);
      if (lower.endsWith('/.default')) result.defaultFor.add('api');
      continue;
    }
    if (lower === `${GRAPH_RESOURCE}/.default` || lower === `${GRAPH_APP_ID}/.default`) {
      addResource('graph');
      result.defaultFor.add('graph');
      for (const scope of GRAPH_CONSENTED_DELEGATED_SCOPES) result.graph.add(scope);
      continue;
    }
    if (lower === `${MARKETPLACE_RESOURCE}/.default`) {
      // Only the client-credentials grant asks for it (the token route refuses it elsewhere).
      addResource('marketplace');
      result.defaultFor.add('marketplace');
      continue;
    }
    const shortName = lower.startsWith(`${GRAPH_RESOURCE}/`) ? lower.slice(GRAPH_RESOURCE.length + 1) : lower;
    const graphScope = graphByLowerName.get(shortName);
    if (graphScope) {
      addResource('graph');
      result.graph.add(graphScope);
      continue;
    }
    result.unknown.push(raw);
  }
  return result;
}

/** The `scope` string of a token response: the granted permissions plus the OIDC scopes asked for. */
export function grantedScopeString(
  resource: ResourceKind,
  permissions: Iterable<string>,
  oidc: Iterable<string>,
  clientId: string,
): string {
  const granted =
    resource === 'api' ? [...permissions].map((p) => `api://${clientId}/${p}`) : [...permissions];
  return [...granted, ...oidc].join(' ');
}
