import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJiraEmulator, type JiraEmulator } from './jira.plugin.js';
import { JIRA_DEMO_ACCOUNTS } from './jira-store.js';

let app: FastifyInstance;
let jira: JiraEmulator;
const anna = JIRA_DEMO_ACCOUNTS.anna;
const auth = {
  authorization: `Basic ${Buffer.from(`${anna.emailAddress}:${anna.apiToken}`).toString('base64')}`,
};
const api = '/emulator/jira/rest/api/3';

beforeAll(async () => {
  app = Fastify();
  jira = createJiraEmulator({ publicBaseUrl: 'http://jira.test' });
  await app.register(jira.plugin);
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

describe('Jira Cloud stand-in keeps Jira’s rules', () => {
  it('refuses unauthenticated calls with Jira’s error body', async () => {
    const response = await app.inject({ method: 'GET', url: `${api}/myself` });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      errorMessages: ['Client must be authenticated to access this resource.'],
      errors: {},
    });
  });

  it('names each bad field of an issue: summary, description not ADF, unknown custom field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `${api}/issue`,
      headers: auth,
      payload: {
        fields: {
          project: { key: 'MAIL' },
          issuetype: { name: 'Task' },
          summary: 'two\nlines',
          description: 'plain text',
          customfield_99: 'x',
        },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      errorMessages: [],
      errors: {
        summary: 'Field can not contain newline characters.',
        description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
        customfield_99:
          "Field 'customfield_99' cannot be set. It is not on the appropriate screen, or unknown.",
      },
    });
    expect(jira.store.issues).toHaveLength(0);
  });

  it('hides projects the user may not see and refuses attachments without the XSRF header', async () => {
    const hidden = await app.inject({
      method: 'POST',
      url: `${api}/issue`,
      headers: auth,
      payload: { fields: { project: { key: 'HR' }, issuetype: { name: 'Task' }, summary: 'x' } },
    });
    expect(hidden.json()).toMatchObject({ errors: { project: 'Specify a valid project ID or key' } });
    const created = await app.inject({
      method: 'POST',
      url: `${api}/issue`,
      headers: auth,
      payload: { fields: { project: { key: 'MAIL' }, issuetype: { name: 'Task' }, summary: 'ok' } },
    });
    expect(created.statusCode).toBe(201);
    const key = (created.json() as { key: string }).key;
    expect(key).toBe('MAIL-1');
    const boundary = 'b0undary';
    const upload = await app.inject({
      method: 'POST',
      url: `${api}/issue/${key}/attachments`,
      headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc\r\n--${boundary}--\r\n`,
    });
    expect(upload.statusCode).toBe(403);
    expect(upload.body).toBe('XSRF check failed');
  });

  it('searches with the enhanced JQL endpoint only: bounded queries, no legacy paging keys', async () => {
    const search = (payload: object) =>
      app.inject({ method: 'POST', url: `${api}/search/jql`, headers: auth, payload });
    expect((await search({ jql: 'ORDER BY created DESC' })).json()).toMatchObject({
      errorMessages: [expect.stringMatching(/^Unbounded JQL queries are not allowed/)],
    });
    expect((await search({ jql: 'project = MAIL', startAt: 0 })).json()).toMatchObject({
      errorMessages: ['Invalid request payload. Refer to the REST API documentation and try again.'],
    });
    expect((await search({ jql: 'project = MAIL AND summary ~ "ok"', fields: ['summary'] })).json()).toEqual({
      issues: [expect.objectContaining({ key: 'MAIL-1', fields: { summary: 'ok' } })],
      isLast: true,
    });
  });
});
