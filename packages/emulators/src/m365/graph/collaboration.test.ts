import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorServer, type TestEmulatorServer } from '../../test-support/start-emulator-server.js';
import { onBehalfOfWithEmulator, signInWithEmulator } from '../emulator-sign-in.js';
import { DEMO_PLANS, DEMO_TEAMS } from '../seed/collaboration-seed.js';
import { DEMO_SECOND_USER_UPN, DEMO_USER_UPN } from '../seed/directory-seed.js';
import { DEMO_TENANT_ID } from '../seed/tenant-ids.js';
import { encodeReferenceKey } from './planner.routes.js';

let server: TestEmulatorServer;
let graph: string;
/** Jonas is in Sales; Anna is not. Both hold delegated Graph tokens obtained on-behalf-of. */
let jonas: string;
let anna: string;

async function oboGraphToken(user: string): Promise<string> {
  const { clientId, clientSecret } = server.config.entra;
  const api = await signInWithEmulator({
    baseUrl: server.baseUrl,
    tenantId: DEMO_TENANT_ID,
    user,
    scope: `api://${clientId}/access_as_user`,
    clientId,
  });
  const graphTokens = await onBehalfOfWithEmulator({
    baseUrl: server.baseUrl,
    tenantId: DEMO_TENANT_ID,
    clientId,
    clientSecret,
    assertion: api.accessToken,
  });
  return graphTokens.accessToken;
}

async function call(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${graph}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
  server = await startEmulatorServer();
  graph = `${server.baseUrl}/emulator/graph/v1.0`;
  [jonas, anna] = await Promise.all([oboGraphToken(DEMO_SECOND_USER_UPN), oboGraphToken(DEMO_USER_UPN)]);
});
afterAll(async () => server?.close());

const sales = DEMO_TEAMS.sales;
const contracts = encodeURIComponent(sales.channels.contracts);

describe('on-behalf-of at the token endpoint', () => {
  it('refuses an assertion whose audience is not our app, with Entra’s AADSTS body', async () => {
    const { clientId, clientSecret } = server.config.entra;
    const response = await fetch(`${server.baseUrl}/emulator/${DEMO_TENANT_ID}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of',
        client_id: clientId,
        client_secret: clientSecret,
        // A Graph token is never a valid assertion (docs/microsoft-365.md §3.5).
        assertion: jonas,
        scope: 'https://graph.microsoft.com/.default offline_access',
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: string;
      error_codes: number[];
      error_description: string;
    };
    expect(body.error).toBe('invalid_grant');
    expect(body.error_codes).toEqual([500131]);
    expect(body.error_description).toMatch(/^AADSTS500131:/);
  });

  it('issues a delegated Graph token for the same user', async () => {
    const me = await call(jonas, 'GET', '/me');
    expect(me.status).toBe(200);
    expect(me.body.userPrincipalName).toBe(DEMO_SECOND_USER_UPN);
  });
});

describe('Teams: channels, files folder, messages', () => {
  it('lists the teams a user joined and the channels of one', async () => {
    const joined = await call(jonas, 'GET', '/me/joinedTeams');
    expect((joined.body.value as { displayName: string }[]).map((t) => t.displayName)).toEqual(['Sales']);
    const channels = await call(jonas, 'GET', `/teams/${sales.teamId}/channels`);
    expect((channels.body.value as { displayName: string }[]).map((c) => c.displayName)).toEqual([
      'General',
      'Contracts',
    ]);
  });

  it('gives the channel’s files folder in the group’s library, and files can be written there', async () => {
    const folder = await call(jonas, 'GET', `/teams/${sales.teamId}/channels/${contracts}/filesFolder`);
    expect(folder.status).toBe(200);
    expect(folder.body.name).toBe('Contracts');
    const driveId = (folder.body.parentReference as { driveId: string }).driveId;
    const drive = await call(jonas, 'GET', `/groups/${sales.teamId}/drive`);
    expect(drive.body.id).toBe(driveId);
    const put = await fetch(
      `${graph}/drives/${encodeURIComponent(driveId)}/items/${folder.body.id}:/offer.txt:/content`,
      { method: 'PUT', headers: { authorization: `Bearer ${jonas}` }, body: 'offer' },
    );
    expect(put.status).toBe(201);
    // Anna is no member of Sales: neither the library nor the team is hers.
    expect((await call(anna, 'GET', `/drives/${encodeURIComponent(driveId)}/root/children`)).status).toBe(
      403,
    );
    expect((await call(anna, 'GET', `/teams/${sales.teamId}/channels`)).status).toBe(403);
  });

  it('posts a message whose reference attachments the HTML places, and refuses unplaced ones', async () => {
    const attachment = {
      id: '153fa47d-18c9-4179-be08-9879815a9f90',
      contentType: 'reference',
      contentUrl: 'https://contoso.sharepoint.example/sites/sales/Shared%20Documents/Contracts/offer.txt',
      name: 'offer.txt',
    };
    const unplaced = await call(jonas, 'POST', `/teams/${sales.teamId}/channels/${contracts}/messages`, {
      body: { contentType: 'html', content: 'No tag' },
      attachments: [attachment],
    });
    expect(unplaced.status).toBe(400);
    const posted = await call(jonas, 'POST', `/teams/${sales.teamId}/channels/${contracts}/messages`, {
      subject: 'Offer 2026-117',
      body: { contentType: 'html', content: `See <attachment id="${attachment.id}"></attachment>` },
      attachments: [attachment],
    });
    expect(posted.status).toBe(201);
    expect(posted.body.subject).toBe('Offer 2026-117');
    expect((posted.body.from as { user: { id: string } }).user.id).toBeTruthy();
    const refused = await call(anna, 'POST', `/teams/${sales.teamId}/channels/${contracts}/messages`, {
      body: { contentType: 'text', content: 'Hi' },
    });
    expect(refused.status).toBe(403);
  });
});

describe('Planner: tasks and details with etags', () => {
  const plan = DEMO_PLANS.salesPipeline;

  it('creates a task in a bucket and sets description and references with If-Match', async () => {
    const buckets = await call(jonas, 'GET', `/planner/plans/${plan.planId}/buckets`);
    expect((buckets.body.value as { name: string }[]).map((b) => b.name)).toEqual([
      'Leads',
      'Offers',
      'Contracts',
    ]);
    const task = await call(jonas, 'POST', '/planner/tasks', {
      planId: plan.planId,
      bucketId: plan.buckets.offers,
      title: 'Offer 2026-117',
    });
    expect(task.status).toBe(201);
    const details = await call(jonas, 'GET', `/planner/tasks/${task.body.id}/details`);
    const etag = String(details.body['@odata.etag']);
    const url = 'https://contoso.sharepoint.example/sites/sales/Shared Documents/offer.txt';
    const change = {
      description: 'Mail text',
      references: {
        [encodeReferenceKey(url)]: {
          '@odata.type': 'microsoft.graph.plannerExternalReference',
          alias: 'offer.txt',
          type: 'Other',
        },
      },
    };
    expect((await call(jonas, 'PATCH', `/planner/tasks/${task.body.id}/details`, change)).status).toBe(400);
    const rawKey = await call(
      jonas,
      'PATCH',
      `/planner/tasks/${task.body.id}/details`,
      { references: { [url]: { alias: 'x' } } },
      { 'if-match': etag },
    );
    expect(rawKey.status).toBe(400);
    const patched = await call(jonas, 'PATCH', `/planner/tasks/${task.body.id}/details`, change, {
      'if-match': etag,
    });
    expect(patched.status).toBe(204);
    const stale = await call(jonas, 'PATCH', `/planner/tasks/${task.body.id}/details`, change, {
      'if-match': etag,
    });
    expect(stale.status).toBe(412);
    const after = await call(jonas, 'GET', `/planner/tasks/${task.body.id}/details`);
    expect(after.body.description).toBe('Mail text');
    expect(after.body.references).toEqual({
      [encodeReferenceKey(url)]: expect.objectContaining({ alias: 'offer.txt', type: 'Other' }),
    });
  });

  it('refuses a user outside the plan’s group', async () => {
    const created = await call(anna, 'POST', '/planner/tasks', { planId: plan.planId, title: 'Not mine' });
    expect(created.status).toBe(403);
  });
});

describe('To Do: lists, tasks, linked resources', () => {
  it('creates a task with a linked resource in the user’s own list only', async () => {
    const lists = await call(anna, 'GET', '/me/todo/lists');
    const values = lists.body.value as { id: string; displayName: string; wellknownListName: string }[];
    expect(values.map((l) => [l.displayName, l.wellknownListName])).toEqual([
      ['Tasks', 'defaultList'],
      ['Follow-ups', 'none'],
    ]);
    const list = values[1]?.id ?? '';
    const task = await call(anna, 'POST', `/me/todo/lists/${encodeURIComponent(list)}/tasks`, {
      title: 'Call back Northwind',
      body: { content: 'Mail text', contentType: 'text' },
      linkedResources: [
        { webUrl: 'https://outlook.example/mail/1', applicationName: 'Mailissa', displayName: 'The mail' },
      ],
    });
    expect(task.status).toBe(201);
    const links = await call(
      anna,
      'GET',
      `/me/todo/lists/${encodeURIComponent(list)}/tasks/${encodeURIComponent(String(task.body.id))}/linkedResources`,
    );
    expect(links.body.value).toEqual([expect.objectContaining({ webUrl: 'https://outlook.example/mail/1' })]);
    // Jonas cannot see Anna's list, neither by /me nor by her id.
    expect((await call(jonas, 'GET', `/me/todo/lists/${encodeURIComponent(list)}/tasks`)).status).toBe(404);
    expect((await call(jonas, 'GET', `/users/${DEMO_USER_UPN}/todo/lists`)).status).toBe(403);
  });
});
