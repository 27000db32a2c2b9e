import type { FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../emulator-context.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from '../identity/scopes.js';
import { TokenVerificationError, verifyEmulatorToken } from '../identity/verify-token.js';
import { GraphError } from './graph-errors.js';

/** Who calls Graph: a user through a delegated token, or an application with app-only roles. */
export type GraphPrincipal =
  | { kind: 'delegated'; tenantId: string; userId: string; scopes: Set<string> }
  | { kind: 'app'; tenantId: string; roles: Set<string> };

/** Permission sets per kind of access: any one of the listed permissions admits the call. */
export interface Permission {
  delegated: string[];
  application: string[];
}

export const PERMISSIONS = {
  readSelf: {
    delegated: ['User.Read', 'User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'],
    application: ['User.Read.All', 'Directory.Read.All'],
  },
  readUsers: {
    delegated: ['User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'],
    application: ['User.Read.All', 'Directory.Read.All'],
  },
  readGroups: {
    delegated: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'],
    application: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'],
  },
  readMail: {
    delegated: ['Mail.Read', 'Mail.ReadWrite', 'Mail.ReadBasic'],
    application: ['Mail.Read', 'Mail.ReadWrite'],
  },
  writeMail: { delegated: ['Mail.ReadWrite'], application: ['Mail.ReadWrite'] },
  /** A member opening a shared mailbox with their own token needs the `.Shared` scopes (§5.11). */
  readSharedMail: { delegated: ['Mail.Read.Shared', 'Mail.ReadWrite.Shared'], application: [] },
  writeSharedMail: { delegated: ['Mail.ReadWrite.Shared'], application: [] },
  readMailboxSettings: {
    delegated: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
    application: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
  },
  writeMailboxSettings: {
    delegated: ['MailboxSettings.ReadWrite'],
    application: ['MailboxSettings.ReadWrite'],
  },
  readFiles: {
    delegated: ['Files.Read.All', 'Files.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All'],
    application: ['Files.Read.All', 'Files.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All'],
  },
  writeFiles: {
    delegated: ['Files.ReadWrite.All', 'Sites.ReadWrite.All'],
    application: ['Files.ReadWrite.All', 'Sites.ReadWrite.All'],
  },
  readTeams: {
    delegated: ['Team.ReadBasic.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All'],
    application: ['Team.ReadBasic.All', 'Group.Read.All', 'Directory.Read.All'],
  },
  readChannels: {
    delegated: ['Channel.ReadBasic.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All'],
    application: ['Channel.ReadBasic.All', 'Group.Read.All', 'Directory.Read.All'],
  },
  /** Posting in a channel is delegated only (docs/microsoft-365.md §7.1). */
  sendChannelMessage: { delegated: ['ChannelMessage.Send', 'Group.ReadWrite.All'], application: [] },
  readChannelMessages: {
    delegated: ['ChannelMessage.Read.All', 'Group.ReadWrite.All'],
    application: ['ChannelMessage.Read.All'],
  },
  readPlanner: {
    delegated: ['Tasks.Read', 'Tasks.ReadWrite', 'Group.Read.All', 'Group.ReadWrite.All'],
    application: ['Tasks.Read.All', 'Tasks.ReadWrite.All'],
  },
  writePlanner: {
    delegated: ['Tasks.ReadWrite', 'Group.ReadWrite.All'],
    application: ['Tasks.ReadWrite.All'],
  },
  readTodo: {
    delegated: ['Tasks.Read', 'Tasks.ReadWrite'],
    application: ['Tasks.Read.All', 'Tasks.ReadWrite.All'],
  },
  writeTodo: { delegated: ['Tasks.ReadWrite'], application: ['Tasks.ReadWrite.All'] },
} satisfies Record<string, Permission>;

export function hasPermission(principal: GraphPrincipal, permission: Permission): boolean {
  const granted = principal.kind === 'delegated' ? principal.scopes : principal.roles;
  const wanted = principal.kind === 'delegated' ? permission.delegated : permission.application;
  return wanted.some((name) => granted.has(name));
}

const invalidToken = (message: string) => new GraphError(401, 'InvalidAuthenticationToken', message);

/**
 * Checks a Graph call's bearer token as Graph does: signature, issuer of the token's tenant,
 * audience Graph, lifetime. Permissions are checked per resource by the routes.
 */
export async function authenticateGraph(
  context: EmulatorContext,
  request: FastifyRequest,
): Promise<GraphPrincipal> {
  const header = request.headers.authorization;
  if (!header) throw invalidToken('Access token is empty.');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw invalidToken('Access token is empty.');
  let claims: Awaited<ReturnType<typeof verifyEmulatorToken>>;
  try {
    claims = await verifyEmulatorToken(context, match[1], [GRAPH_RESOURCE, GRAPH_APP_ID]);
  } catch (error) {
    if (!(error instanceof TokenVerificationError)) throw error;
    switch (error.problem) {
      case 'expired':
      case 'not_yet_valid':
        throw invalidToken('Access token has expired or is not yet valid.');
      case 'audience':
        throw invalidToken('Invalid audience.');
      case 'malformed':
        throw invalidToken('IDX14100: JWT is not well formed.');
      default:
        throw invalidToken('Access token validation failure. Invalid issuer or signature.');
    }
  }
  const oid = typeof claims.oid === 'string' ? claims.oid.toLowerCase() : '';
  const roles = Array.isArray(claims.roles)
    ? claims.roles.filter((r): r is string => typeof r === 'string')
    : [];
  // Graph takes delegated tokens by `scp` and app-only tokens by `roles` (docs/microsoft-365.md §3.2);
  // a token with neither grants nothing and is refused before any permission check.
  if (typeof claims.scp !== 'string' && roles.length === 0) {
    throw invalidToken('Either scp or roles claim need to be present in the token.');
  }
  if (typeof claims.scp === 'string' && claims.idtyp !== 'app') {
    if (!context.directory.user(claims.tid, oid)) throw invalidToken('The user of the token does not exist.');
    return {
      kind: 'delegated',
      tenantId: claims.tid,
      userId: oid,
      scopes: new Set(claims.scp.split(' ').filter(Boolean)),
    };
  }
  return { kind: 'app', tenantId: claims.tid, roles: new Set(roles) };
}
