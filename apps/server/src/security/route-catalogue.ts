import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.js';

/**
 * The product's routes as its OpenAPI document (`/api/openapi.json`) describes them, classified by who
 * may call them, with minimal valid inputs built from their JSON schemas. The security suites iterate
 * this catalogue, so a new documented route is covered without new test code; a route nobody can
 * classify fails the catalogue instead of slipping through.
 */

/** A JSON schema as zod's OpenAPI transform emits it: only the keywords the generators read. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export interface RouteParameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

/**
 * Who may call a route. `user-token`: the add-in's bearer token (routes that declare `security`);
 * `portal-administrator`: a portal session of a tenant administrator (tag `portal`); `operator`: an
 * operator session (tag `operator`); `any-session`: a portal or operator session (tag `session`).
 */
export type RouteAccess =
  | 'user-token'
  | 'portal-administrator'
  | 'portal-user'
  | 'operator'
  | 'any-session'
  | 'public';

/**
 * Portal routes any signed-in user of the tenant may call, each with the reason: a user who is no
 * administrator learns who the administrators are, and exercises their own data-subject rights.
 */
export const PORTAL_SELF_SERVICE: Record<string, string> = {
  'GET /portal/api/administrators': 'a user without a role sees whom to ask (issue 8)',
};
/** Every route below this prefix is the signed-in person's own data (rights/self-service.routes.ts). */
const PORTAL_SELF_SERVICE_PREFIX = '/portal/api/me/';

export interface CatalogueRoute {
  method: string;
  /** The OpenAPI path template, e.g. `/api/transfers/{id}`. */
  path: string;
  tag: string;
  access: RouteAccess;
  pathParams: RouteParameter[];
  query: RouteParameter[];
  body: JsonSchema | null;
  key: string;
}

/**
 * Documented routes anyone may call, each with the reason. Routes hidden from the document are HTML
 * pages and public by nature (website pages and forms with their own form tokens and rate checks, the
 * app shells, `/api/openapi.json` itself); the suites cover only the documented API.
 */
export const PUBLIC_ROUTES: Record<string, string> = {
  'GET /healthz': 'liveness probe for the orchestrator; answers without touching tenant data',
  'GET /readyz': 'readiness probe; reports only whether the database answers',
  'GET /api/client-config': 'the add-in needs the client id and authority before anyone is signed in',
  'GET /auth/login': 'starts signing in; only redirects to the identity provider',
  'GET /auth/callback': 'finishes signing in; admits only the signed state cookie set by /auth/login',
  'POST /auth/logout': 'ends the caller’s own session; without one it changes nothing (204)',
  'POST /api/outlook-sync/notifications':
    'Microsoft Graph calls it (no token); each notification proves itself by its subscription’s clientState, compared in constant time with a stored hash',
  'POST /api/outlook-sync/lifecycle':
    'Microsoft Graph calls it (no token); each lifecycle event proves itself by its subscription’s clientState, compared in constant time with a stored hash',
  'GET /api/transfer-downloads/{token}':
    'a webhook receiver follows the link it was sent; the link is an HMAC-signed, short-lived grant for one file of one live transfer',
  'POST /api/billing/stripe/webhook':
    'Stripe calls it; only events signed with the webhook secret are read, and each names objects fetched back from Stripe',
  'POST /api/marketplace/webhook':
    'the Microsoft marketplace calls it; only calls with an Entra token issued to the marketplace for our app are read, and each operation is confirmed through the marketplace’s operations API',
};

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

interface OpenApiOperation {
  tags?: string[];
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export async function fetchOpenApiDocument(baseUrl: string): Promise<OpenApiDocument> {
  const response = await fetch(`${baseUrl}/api/openapi.json`);
  if (!response.ok) throw new Error(`GET /api/openapi.json answered ${response.status}`);
  return (await response.json()) as OpenApiDocument;
}

function accessOf(key: string, operation: OpenApiOperation, tag: string): RouteAccess {
  if (key in PUBLIC_ROUTES) return 'public';
  if (operation.security && operation.security.length > 0) return 'user-token';
  if (tag === 'portal' || tag === 'rights') {
    const path = key.slice(key.indexOf(' ') + 1);
    if (key in PORTAL_SELF_SERVICE || path.startsWith(PORTAL_SELF_SERVICE_PREFIX)) return 'portal-user';
    if (tag === 'portal' || path.startsWith('/portal/')) return 'portal-administrator';
  }
  if (tag === 'operator') return 'operator';
  if (tag === 'session') return 'any-session';
  throw new Error(
    `${key} is neither public (PUBLIC_ROUTES, with a reason) nor guarded by a bearer token, a portal or an operator session: classify it in security/route-catalogue.ts`,
  );
}

export function routeCatalogue(document: OpenApiDocument): CatalogueRoute[] {
  const routes: CatalogueRoute[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    // The emulators' routes exist only in demo mode, stand in for Microsoft's services and check
    // Microsoft's rules themselves (their own tests); they are not the product's API.
    if (path.startsWith('/emulator/')) continue;
    for (const [method, operation] of Object.entries(operations)) {
      if (!HTTP_METHODS.has(method)) continue;
      const key = `${method.toUpperCase()} ${path}`;
      const tag = operation.tags?.[0] ?? '';
      const parameters = operation.parameters ?? [];
      const toParameter = (p: (typeof parameters)[number]): RouteParameter => ({
        name: p.name,
        required: p.required === true,
        schema: p.schema ?? { type: 'string' },
      });
      routes.push({
        method: method.toUpperCase(),
        path,
        tag,
        access: accessOf(key, operation, tag),
        pathParams: parameters.filter((p) => p.in === 'path').map(toParameter),
        query: parameters.filter((p) => p.in === 'query').map(toParameter),
        body: operation.requestBody?.content?.['application/json']?.schema ?? null,
        key,
      });
    }
  }
  for (const key of Object.keys(PUBLIC_ROUTES)) {
    if (!routes.some((route) => route.key === key))
      throw new Error(`PUBLIC_ROUTES lists ${key}, which is gone`);
  }
  return routes;
}

/** Values a test substitutes: ids of rows that exist (another tenant's), or fresh random ones. */
export interface ExampleValues {
  uuid: () => string;
  string?: () => string;
}

const RANDOM: ExampleValues = { uuid: randomUUID };

/** The smallest value the schema accepts (defaults and first enum values preferred). */
export function exampleOf(schema: JsonSchema, values: ExampleValues = RANDOM): unknown {
  const choice = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (choice) return exampleOf(choice, values);
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => exampleOf(schema.items ?? {}, values));
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const name of schema.required ?? []) {
        result[name] = exampleOf(schema.properties?.[name] ?? {}, values);
      }
      return result;
    }
    default:
      return exampleString(schema, values);
  }
}

function exampleString(schema: JsonSchema, values: ExampleValues): string {
  if (schema.format === 'uuid') return values.uuid();
  if (schema.format === 'email') return 'someone@example.com';
  if (schema.format === 'date') return '2026-01-01';
  const min = Math.max(schema.minLength ?? 1, 1);
  const candidate = values.string?.() ?? '';
  const fits = (value: string) =>
    value.length >= min &&
    value.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY) &&
    (!schema.pattern || new RegExp(schema.pattern).test(value));
  if (candidate && fits(candidate)) return candidate;
  return 'A'.repeat(min);
}

/** A lone surrogate cannot be percent-encoded; a browser sends U+FFFD in its place, and so do we. */
function wellFormed(value: string): string {
  return value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** The route's URL with path parameters and query built from the given values. */
export function urlFor(
  route: CatalogueRoute,
  pathValues: Record<string, string>,
  query: Record<string, unknown>,
): string {
  const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(wellFormed(pathValues[name] ?? '')),
  );
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    // A structured value goes as its JSON: String() of an object without a prototype (which the
    // fuzzer makes) throws, and "[object Object]" would test nothing.
    if (value !== undefined)
      search.set(name, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** A minimal valid request for the route: required parameters, query and body from its schemas. */
export function minimalRequest(route: CatalogueRoute, values: ExampleValues = RANDOM) {
  const pathValues = Object.fromEntries(
    route.pathParams.map((p) => [p.name, String(exampleOf(p.schema, values))]),
  );
  const query = Object.fromEntries(
    route.query.filter((p) => p.required).map((p) => [p.name, exampleOf(p.schema, values)]),
  );
  return {
    url: urlFor(route, pathValues, query),
    body: route.body ? exampleOf(route.body, values) : undefined,
  };
}

/** Tables whose row counts must not change when a request is refused: all but logs and counters. */
const NOT_COUNTED = new Set([
  'schema_migrations',
  'usage_log',
  'usage_log_daily',
  'usage_log_salts',
  'site_page_views',
  'security_blocks',
  'form_rate_limits',
  'request_rate_limits',
  // Written by background workers while any job runs (decision 090), whatever request is in flight.
  'job_leases',
]);

/** Row counts of every table that holds tenant or operator data, read past row-level security. */
export async function rowCounts(db: Queryable): Promise<Record<string, number>> {
  const { rows: tables } = await db.query<{ tablename: string }>(
    'select tablename from pg_tables where schemaname = current_schema() order by tablename',
  );
  const counted = tables.map((t) => t.tablename).filter((name) => !NOT_COUNTED.has(name));
  // One statement for all tables: the fuzz suite reads this twice per request.
  const { rows } = await db.query<Record<string, number>>(
    `select ${counted.map((name) => `(select count(*)::int from "${name}") as "${name}"`).join(', ')}`,
  );
  return rows[0] ?? {};
}

/**
 * A reader of counts (rowCounts by default) that counts again only when the database may have changed
 * since the last read, and otherwise returns the last counts. Sound because rows appear or vanish only
 * in a transaction that holds a transaction id, and any such transaction ending moves PostgreSQL's
 * snapshot (`xmin:xmax:running ids`): an unchanged snapshot means the same committed data. A refused
 * request usually writes nothing, so its "after" costs one tiny query instead of a count of every table.
 */
export function countsReader(
  db: Queryable,
  count: (db: Queryable) => Promise<Record<string, number>> = rowCounts,
): () => Promise<Record<string, number>> {
  let last: { snapshot: string; counts: Record<string, number> } | null = null;
  return async () => {
    // Read before counting: a write that lands in between makes the next read count again, never less.
    const { rows } = await db.query<{ snapshot: string }>('select pg_current_snapshot()::text as snapshot');
    const snapshot = rows[0]?.snapshot ?? '';
    if (last && snapshot !== '' && last.snapshot === snapshot) return last.counts;
    const counts = await count(db);
    last = { snapshot, counts };
    return counts;
  };
}
