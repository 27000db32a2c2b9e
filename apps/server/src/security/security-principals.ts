import { decodeJwt } from 'jose';
import {
  clientCredentialsWithEmulator,
  DEMO_SECOND_USER_UPN,
  DEMO_TENANT_ID,
  DEMO_USER_UPN,
  SECOND_TENANT_ID,
  SECOND_TENANT_USER_UPN,
  signInWithEmulator,
} from '../demo/emulators.js';
import type { TestServer } from '../test-support/test-server.js';
import { createWebSession } from '../web-session/web-session.store.js';

/**
 * Everyone the security suites call as, all obtained for real: tokens from the emulator over HTTP,
 * users recorded by signing in at /api/me, sessions stored as the callback stores them. Tenant A
 * (Contoso) holds a transfer, so the suites can point tenant B (Fabrikam) at rows that exist.
 */
export interface SecurityPrincipals {
  tokens: { adminA: string; userA: string; userB: string; appOnly: string; idToken: string };
  /** Cookie headers of web sessions. */
  cookies: { adminA: string; userA: string; adminB: string; operator: string };
  /**
   * A new portal session of a tenant's administrator, whatever earlier requests did: a route that
   * signs out or erases the caller (Art. 17) must not turn every later probe into a 401.
   */
  freshAdminCookie(tenant: 'A' | 'B'): Promise<string>;
  tenantA: {
    id: string;
    transferId: string;
    targetId: string;
    internetMessageId: string;
    /** Strings that identify tenant A's data: none may appear in an answer to tenant B. */
    markers: string[];
  };
}

const ISOLATION_MESSAGE_ID = '<isolation-probe-a@contoso.example>';

export async function preparePrincipals(server: TestServer): Promise<SecurityPrincipals> {
  const { clientId, clientSecret } = server.config.entra;
  const scope = `api://${clientId}/access_as_user`;
  const signIn = (tenantId: string, user: string) =>
    signInWithEmulator({ baseUrl: server.baseUrl, tenantId, user, scope, clientId });
  // One after the other: the first user of a tenant becomes its administrator.
  const adminA = await signIn(DEMO_TENANT_ID, DEMO_USER_UPN);
  const userA = await signIn(DEMO_TENANT_ID, DEMO_SECOND_USER_UPN);
  const userB = await signIn(SECOND_TENANT_ID, SECOND_TENANT_USER_UPN);
  for (const token of [adminA.accessToken, userA.accessToken, userB.accessToken]) {
    const me = await fetch(`${server.baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    if (me.status !== 200) throw new Error(`signing in at /api/me answered ${me.status}`);
  }
  const appOnly = await clientCredentialsWithEmulator({
    baseUrl: server.baseUrl,
    tenantId: DEMO_TENANT_ID,
    clientId,
    clientSecret: clientSecret ?? '',
    scope: `api://${clientId}/.default`,
  });

  const db = server.database.db;
  const userOf = async (token: string) => {
    const { rows } = await db.query<{ id: string; tenant_id: string; email: string; display_name: string }>(
      'select id, tenant_id, email, display_name from users where entra_object_id = $1',
      [String(decodeJwt(token).oid)],
    );
    const row = rows[0];
    if (!row) throw new Error('signed-in user not recorded');
    return row;
  };
  const [a, a2, b] = [
    await userOf(adminA.accessToken),
    await userOf(userA.accessToken),
    await userOf(userB.accessToken),
  ];
  const portalCookie = async (user: typeof a) => {
    const session = await createWebSession(
      db,
      { app: 'portal', tenantId: user.tenant_id, userId: user.id, displayName: user.display_name },
      new Date(),
    );
    return `mailissa_portal=${session.token}`;
  };
  const operator = await createWebSession(
    db,
    { app: 'operator', operatorEmail: 'operator@mailissa.example', displayName: 'Operator' },
    new Date(),
  );

  const { rows: targets } = await db.query<{ id: string }>(
    'select id from targets where tenant_id = $1 order by created_at limit 1',
    [a.tenant_id],
  );
  const target = targets[0];
  if (!target) throw new Error('the demo tenant has no target');
  const { rows: transfers } = await db.query<{ id: string }>(
    `insert into transfers (tenant_id, target_id, created_by, mailbox_object_id, message_id,
                            internet_message_id, state, folder_url)
     values ($1, $2, $3, $4, 'AAMkIsolationProbeA', $5, 'done', 'https://contoso.example/isolation-probe')
     returning id`,
    [a.tenant_id, target.id, a.id, String(decodeJwt(adminA.accessToken).oid), ISOLATION_MESSAGE_ID],
  );
  const transferId = transfers[0]?.id ?? '';

  const freshAdminCookie = async (tenant: 'A' | 'B'): Promise<string> => {
    const [token, recorded] = tenant === 'A' ? [adminA.accessToken, a] : [userB.accessToken, b];
    const oid = String(decodeJwt(token).oid);
    let { rows } = await db.query<{ id: string }>('select id from users where entra_object_id = $1', [oid]);
    if (rows.length === 0) {
      // Erased by an earlier probe: signing in again records them afresh, then they get their roles back.
      const me = await fetch(`${server.baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      if (me.status !== 200) throw new Error(`signing tenant ${tenant} in again answered ${me.status}`);
      ({ rows } = await db.query<{ id: string }>(
        `update users set is_user_admin = true, is_tenant_admin = true where entra_object_id = $1
         returning id`,
        [oid],
      ));
    }
    const user = rows[0];
    if (!user) throw new Error(`tenant ${tenant}'s administrator could not be recorded again`);
    const session = await createWebSession(
      db,
      { app: 'portal', tenantId: recorded.tenant_id, userId: user.id, displayName: recorded.display_name },
      new Date(),
    );
    return `mailissa_portal=${session.token}`;
  };

  return {
    freshAdminCookie,
    tokens: {
      adminA: adminA.accessToken,
      userA: userA.accessToken,
      userB: userB.accessToken,
      appOnly: appOnly.accessToken,
      idToken: adminA.idToken,
    },
    cookies: {
      adminA: await portalCookie(a),
      userA: await portalCookie(a2),
      adminB: await portalCookie(b),
      operator: `mailissa_operator=${operator.token}`,
    },
    tenantA: {
      id: a.tenant_id,
      transferId,
      targetId: target.id,
      internetMessageId: ISOLATION_MESSAGE_ID,
      markers: [
        a.tenant_id,
        transferId,
        target.id,
        a.id,
        a2.id,
        a.email,
        a2.email,
        ISOLATION_MESSAGE_ID,
        'AAMkIsolationProbeA',
        'isolation-probe',
      ],
    },
  };
}

/** Headers our own pages send with a cookie request, so only authentication decides the answer. */
export function sessionHeaders(baseUrl: string, cookie: string): Record<string, string> {
  return {
    ...(cookie ? { cookie } : {}),
    origin: baseUrl,
    'sec-fetch-site': 'same-origin',
    'x-requested-with': 'mailissa',
  };
}

/** Settings for suites that send many refused requests from one address on purpose. */
export const NO_ABUSE_LIMITS = { RATE_LIMIT_PER_MINUTE: '0', BLOCK_AFTER_FAILURES: '1000000' };

/**
 * A process that serves requests and runs no jobs (PROCESS_ROLE=api), for suites that compare row
 * counts before and after a request: a scheduled job firing by the wall clock meanwhile (the Outlook
 * mirror reconciles every ten minutes) would write rows that look like the request's doing.
 */
export const REQUESTS_ONLY = { PROCESS_ROLE: 'api' };
