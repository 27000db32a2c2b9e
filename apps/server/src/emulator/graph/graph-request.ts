import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../emulator-context.js';
import { authenticateGraph, type GraphPrincipal, hasPermission, type Permission } from './graph-auth.js';
import { GRAPH_JSON, GraphError } from './graph-errors.js';

const principals = new WeakMap<FastifyRequest, GraphPrincipal>();

/** Authenticates once per request (onRequest hook) and keeps the caller beside the request. */
export async function authenticateRequest(context: EmulatorContext, request: FastifyRequest): Promise<void> {
  principals.set(request, await authenticateGraph(context, request));
}

export function principalOf(request: FastifyRequest): GraphPrincipal {
  const principal = principals.get(request);
  if (!principal) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  return principal;
}

/** Throws Graph's 403 for the workload when none of the permissions was granted. */
export function requirePermission(
  principal: GraphPrincipal,
  permission: Permission,
  workload: 'directory' | 'mail' | 'drive',
): void {
  if (hasPermission(principal, permission)) return;
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
