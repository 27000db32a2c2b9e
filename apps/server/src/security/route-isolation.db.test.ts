import { ERROR_CODES } from '@mailissa/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import {
  type CatalogueRoute,
  countsReader,
  type ExampleValues,
  fetchOpenApiDocument,
  minimalRequest,
  type RouteAccess,
  routeCatalogue,
} from './route-catalogue.js';
import {
  NO_ABUSE_LIMITS,
  preparePrincipals,
  REQUESTS_ONLY,
  type SecurityPrincipals,
  sessionHeaders,
} from './security-principals.js';

/**
 * The isolation matrix (issue 14, part 8): every documented route × every caller who must be turned
 * away, generated from /api/openapi.json. Each refused request must get the stated status with the one
 * error body, and leave every table's row count as it was. Tenant B, pointed at tenant A's real ids,
 * gets 404 on routes that address a row and never sees a trace of tenant A anywhere.
 */
describe('route isolation matrix', () => {
  let server: TestServer;
  let who: SecurityPrincipals;
  let routes: CatalogueRoute[];
  /** Row counts of every table, and of tenant A's rows: counted again only after a write. */
  let readRowCounts: () => Promise<Record<string, number>>;
  let readTenantARowCounts: () => Promise<Record<string, number>>;

  beforeAll(async () => {
    server = await startTestServer({ env: { ...NO_ABUSE_LIMITS, ...REQUESTS_ONLY } });
    who = await preparePrincipals(server);
    routes = routeCatalogue(await fetchOpenApiDocument(server.baseUrl));
    readRowCounts = countsReader(server.database.db);
    const tenantTables = await tablesWithTenantId();
    readTenantARowCounts = countsReader(server.database.db, () =>
      tenantRowCounts(tenantTables, who.tenantA.id),
    );
  });
  afterAll(async () => server?.close());

  interface Answer {
    status: number;
    text: string;
    rowsChanged: string[];
  }

  async function send(
    route: CatalogueRoute,
    headers: Record<string, string>,
    values?: ExampleValues,
  ): Promise<Answer> {
    const request = minimalRequest(route, values);
    const before = await readRowCounts();
    const response = await fetch(`${server.baseUrl}${request.url}`, {
      method: route.method,
      headers: {
        // As from our own pages, so that authentication alone decides, not the CSRF check.
        ...sessionHeaders(server.baseUrl, ''),
        ...headers,
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      redirect: 'manual',
    });
    const text = await response.text();
    const after = await readRowCounts();
    const rowsChanged = Object.keys(after).filter((table) => after[table] !== before[table]);
    return { status: response.status, text, rowsChanged };
  }

  function errorCodeOf(text: string): string | null {
    try {
      const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
      const code = body.error?.code;
      return typeof code === 'string' &&
        (ERROR_CODES as readonly string[]).includes(code) &&
        typeof body.error?.message === 'string'
        ? code
        : null;
    } catch {
      return null;
    }
  }

  /** Sends the case to every route of the given kinds; returns one line per deviation. */
  async function refusals(
    kinds: RouteAccess[],
    headers: () => Record<string, string>,
    expected: (route: CatalogueRoute) => number,
  ): Promise<{ checked: number; failures: string[] }> {
    const failures: string[] = [];
    let checked = 0;
    for (const route of routes.filter((r) => kinds.includes(r.access))) {
      checked += 1;
      const answer = await send(route, headers());
      const want = expected(route);
      if (answer.status !== want)
        failures.push(`${route.key}: ${answer.status}, expected ${want}: ${answer.text.slice(0, 200)}`);
      else if (!errorCodeOf(answer.text))
        failures.push(`${route.key}: not the one error body: ${answer.text.slice(0, 200)}`);
      if (answer.rowsChanged.length > 0)
        failures.push(`${route.key}: wrote rows in ${answer.rowsChanged.join(', ')}`);
    }
    return { checked, failures };
  }

  const GUARDED: RouteAccess[] = [
    'user-token',
    'portal-administrator',
    'portal-user',
    'operator',
    'any-session',
  ];

  it('classifies every documented route and finds each kind of guard', () => {
    const kinds = new Set(routes.map((route) => route.access));
    for (const kind of [...GUARDED, 'public'] as const) expect(kinds, kind).toContain(kind);
  });

  it('answers 401 to a request without credentials on every guarded route', async () => {
    const { checked, failures } = await refusals(
      GUARDED,
      () => ({}),
      () => 401,
    );
    expect(checked).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });

  it('answers 401 to an app-only (client credentials) token on every guarded route', async () => {
    const { failures } = await refusals(
      GUARDED,
      () => ({ authorization: `Bearer ${who.tokens.appOnly}` }),
      () => 401,
    );
    expect(failures).toEqual([]);
  });

  it('answers 401 to an ID token used as a bearer token on every guarded route', async () => {
    const { failures } = await refusals(
      GUARDED,
      () => ({ authorization: `Bearer ${who.tokens.idToken}` }),
      () => 401,
    );
    expect(failures).toEqual([]);
  });

  it('answers 401 to a portal session (a customer) on every operator route', async () => {
    const { checked, failures } = await refusals(
      ['operator'],
      () => sessionHeaders(server.baseUrl, who.cookies.adminA),
      () => 401,
    );
    expect(checked).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });

  it('answers 401 to an operator session on every portal route, and to a user token there', async () => {
    const operator = await refusals(
      ['portal-administrator', 'portal-user'],
      () => sessionHeaders(server.baseUrl, who.cookies.operator),
      () => 401,
    );
    const bearer = await refusals(
      ['portal-administrator', 'portal-user', 'operator'],
      () => ({ authorization: `Bearer ${who.tokens.adminA}` }),
      () => 401,
    );
    expect(operator.checked).toBeGreaterThan(0);
    expect([...operator.failures, ...bearer.failures]).toEqual([]);
  });

  it('answers 403 to a user who is no administrator on every administrators-only portal route', async () => {
    const { checked, failures } = await refusals(
      ['portal-administrator'],
      () => sessionHeaders(server.baseUrl, who.cookies.userA),
      () => 403,
    );
    expect(checked).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });

  it("never lets tenant B reach tenant A's rows: 404 on addressed rows, no trace of A anywhere", async () => {
    const failures: string[] = [];
    // Each probe gets a fresh session: an earlier route may sign tenant B's administrator out or
    // erase them (DELETE …/me/data), and the matrix must test every route as a valid caller of B.
    const callerFor = async (route: CatalogueRoute): Promise<Record<string, string> | null> =>
      route.access === 'user-token'
        ? { authorization: `Bearer ${who.tokens.userB}` }
        : route.access === 'portal-administrator'
          ? sessionHeaders(server.baseUrl, await who.freshAdminCookie('B'))
          : null;
    let checked = 0;
    for (const route of routes) {
      if (!(await callerFor(route))) continue;
      // Every id the request carries is one of tenant A's, every free text A's message id.
      for (const id of [who.tenantA.transferId, who.tenantA.targetId]) {
        const headers = (await callerFor(route)) ?? {};
        checked += 1;
        const countsOfA = await readTenantARowCounts();
        const answer = await send(route, headers, {
          uuid: () => id,
          string: () => who.tenantA.internetMessageId,
        });
        // A row is addressed by an id in the path; other path parameters (a connector type) are not rows.
        const addressesRow = route.pathParams.some((param) => param.schema.format === 'uuid');
        if (addressesRow && answer.status !== 404) {
          failures.push(
            `${route.key} with A's ${id}: ${answer.status}, expected 404: ${answer.text.slice(0, 200)}`,
          );
        }
        if (answer.status >= 500) failures.push(`${route.key}: ${answer.status}`);
        if (answer.status >= 400 && answer.rowsChanged.length > 0) {
          failures.push(`${route.key}: refused but wrote rows in ${answer.rowsChanged.join(', ')}`);
        }
        // What B sent itself may come back in B's own error message; anything else of A is a leak.
        const sentByB = [id, who.tenantA.internetMessageId];
        const leaked = who.tenantA.markers.filter(
          (marker) => answer.text.includes(marker) && !sentByB.some((sent) => sent.includes(marker)),
        );
        if (leaked.length > 0)
          failures.push(`${route.key}: answer to tenant B contains A's ${leaked.join(', ')}`);
        const changedOfA = await readTenantARowCounts();
        const tablesOfA = Object.keys(changedOfA).filter((table) => changedOfA[table] !== countsOfA[table]);
        if (tablesOfA.length > 0) {
          failures.push(`${route.key}: changed tenant A's rows in ${tablesOfA.join(', ')}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(4);
    expect(failures).toEqual([]);
    // The control: the same probe with tenant A's own administrator does reach A's row, so the ids are
    // real and the leak check above has something to find.
    const own = await fetch(`${server.baseUrl}/api/transfers/${who.tenantA.transferId}`, {
      headers: { authorization: `Bearer ${who.tokens.adminA}` },
    });
    expect(own.status).toBe(200);
    expect(await own.text()).toContain(who.tenantA.transferId);
  });

  /** The tables with a tenant_id column. */
  async function tablesWithTenantId(): Promise<string[]> {
    const { rows } = await server.database.db.query<{ table_name: string }>(
      `select table_name from information_schema.columns
        where table_schema = current_schema() and column_name = 'tenant_id' order by table_name`,
    );
    return rows.map((row) => row.table_name);
  }

  /** Rows per tenant table that belong to one tenant (read past row-level security), in one statement. */
  async function tenantRowCounts(tables: string[], tenantId: string): Promise<Record<string, number>> {
    const { rows } = await server.database.db.query<Record<string, number>>(
      `select ${tables
        .map((table) => `(select count(*)::int from "${table}" where tenant_id = $1) as "${table}"`)
        .join(', ')}`,
      [tenantId],
    );
    return rows[0] ?? {};
  }
});
