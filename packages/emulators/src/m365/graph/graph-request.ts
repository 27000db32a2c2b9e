import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../emulator-context.js';
import { authenticateGraph, type GraphPrincipal, hasPermission, type Permission } from './graph-auth.js';
import { GRAPH_JSON, GraphError } from './graph-errors.js';

/**
 * The caller, kept on the request itself: a WeakMap keyed by requests would gain an entry per
 * request that every young-generation collection has to sweep.
 */
const PRINCIPAL = Symbol('graphPrincipal');
type RequestWithPrincipal = FastifyRequest & { [PRINCIPAL]?: GraphPrincipal };

/** Authenticates once per request (onRequest hook) and keeps the caller on the request. */
export async function authenticateRequest(
  context: EmulatorContext,
  request: RequestWithPrincipal,
): Promise<void> {
  request[PRINCIPAL] = await authenticateGraph(context, request);
}

export function principalOf(request: RequestWithPrincipal): GraphPrincipal {
  const principal = request[PRINCIPAL];
  if (!principal) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  return principal;
}

/** Throws Graph's 403 for the workload when none of the permissions was granted. */
export function requirePermission(
  principal: GraphPrincipal,
  permission: Permission,
  workload: 'directory' | 'mail' | 'drive' | 'teams' | 'planner' | 'todo',
): void {
  if (hasPermission(principal, permission)) return;
  if (workload === 'teams' || workload === 'planner' || workload === 'todo') {
    throw new GraphError(403, 'Forbidden', 'Missing scope permissions on the request.');
  }
  if (workload === 'directory') {
    throw new GraphError(
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
  }
  if (workload === 'mail') {
    throw new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  }
  throw new GraphError(
    403,
    'accessDenied',
    'Access denied. You do not have permission to perform this action.',
  );
}

/**
 * The owner of the mailbox a `/me/…` or `/users/{id|upn}/…` path names, in the caller's tenant, with
 * Exchange's errors. A delegated token reaches its own mailbox and the shared mailboxes its user is a
 * member of (`shared: true`; docs/microsoft-365.md §5.11); the route then checks the permission its
 * operation needs (mail, mailbox settings).
 */
export function mailboxOwnerOf(
  context: EmulatorContext,
  request: FastifyRequest,
  userKey: string | undefined,
): { principal: GraphPrincipal; ownerId: string; shared: boolean } {
  const principal = principalOf(request);
  if (userKey === undefined) {
    if (principal.kind !== 'delegated') {
      throw new GraphError(
        400,
        'BadRequest',
        '/me request is only valid with delegated authentication flow.',
      );
    }
    return { principal, ownerId: principal.userId, shared: false };
  }
  const user = context.directory.user(principal.tenantId, userKey);
  if (!user) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${userKey}' is invalid.`);
  if (principal.kind === 'delegated' && principal.userId !== user.id) {
    if (context.directory.hasSharedMailboxAccess(user.id, principal.userId)) {
      return { principal, ownerId: user.id, shared: true };
    }
    throw new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  }
  return { principal, ownerId: user.id, shared: false };
}

export function sendGraphJson(reply: FastifyReply, body: unknown, status = 200): FastifyReply {
  return reply.status(status).type(GRAPH_JSON).send(body);
}

/** Graph query strings as they arrive; every system option is optional text, checked by the route. */
export function queryOf(request: FastifyRequest): Record<string, string | undefined> {
  const query = request.query as Record<string, unknown>;
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(query ?? {})) if (typeof value === 'string') out[key] = value;
  return out;
}

export function consistencyEventual(request: FastifyRequest): boolean {
  const header = request.headers.consistencylevel;
  return typeof header === 'string' && header.toLowerCase() === 'eventual';
}
