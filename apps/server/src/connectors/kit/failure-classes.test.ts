import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf } from '../../test-support/app-error-of.js';
import type { Connector, ConnectorContext } from '../connector.js';
import { dominoConnector } from '../domino/domino-connector.js';
import { jiraConnector } from '../jira/jira-connector.js';
import { mailOf, memoryProgress, part, restContext } from '../rest-target/rest-target-test-support.js';
import { isTransientTargetFailure } from '../rest-target/target-http.js';
import { trelloConnector } from '../trello/trello-connector.js';
import { webDavConnector } from '../webdav/webdav-connector.js';
import { createDownloadLinks } from '../webhook/download-links.js';
import { newWebhookSecret, webhookConnector } from '../webhook/webhook-connector.js';
import { createConnectorNetwork } from './guarded-fetch.js';

/**
 * Issue 11 item 10: every connector that speaks HTTP to a customer's system classifies that system's
 * failures alike (401 → connect again, 403, 404, 409, 413, 429 with Retry-After, 5xx, timeouts), as
 * the SharePoint connector does. One server in trouble answers every request of a transfer with the
 * status under test (or not at all); each connector's transfer must fail with the same class.
 */

interface Plan {
  status: number;
  hang?: boolean;
}

let plan: Plan = { status: 500 };
let server: Server;
let origin = '';
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    request.resume();
    if (plan.hang) return; // never answers; the guarded fetch's timeout must end the wait
    response.writeHead(plan.status, {
      'content-type': 'application/json',
      ...(plan.status === 429 ? { 'retry-after': '7' } : {}),
    });
    response.end('{"errorMessages":["in trouble"],"errors":{}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function context(credential: Record<string, string>): ConnectorContext {
  const network = createConnectorNetwork({
    allowedOrigins: [origin],
    timeouts: { connect: 1000, headers: 300, body: 300 },
  });
  return {
    ...restContext(credential),
    fetch: network.fetch,
    downloadLinks: createDownloadLinks({
      key: randomBytes(32),
      publicBaseUrl: 'https://mailissa.example',
      now: () => new Date(),
      tenantId: randomUUID(),
      transferId: randomUUID(),
    }),
  };
}

/** Each connector with settings pointing at the server in trouble and a credential of its form. */
const connectors: [string, Connector<unknown>, () => unknown, Record<string, string>][] = [
  [
    'webdav',
    webDavConnector as Connector<unknown>,
    () => webDavConnector.validateSettings({ url: `${origin}/dav/`, folderPath: '' }),
    { username: 'anna', password: 'app-password' },
  ],
  [
    'jira',
    jiraConnector as Connector<unknown>,
    () => jiraConnector.validateSettings({ siteUrl: origin, projectKey: 'MAIL' }),
    { email: 'anna@contoso.example', apiToken: 'token' },
  ],
  [
    'trello',
    trelloConnector as Connector<unknown>,
    () => trelloConnector.validateSettings({ apiUrl: origin, listId: '5f0c1a2b3c4d5e6f70819203' }),
    { apiKey: '0123456789abcdef0123456789abcdef', token: 'token' },
  ],
  [
    'domino',
    dominoConnector as Connector<unknown>,
    () => dominoConnector.validateSettings({ serverUrl: origin, dataSource: 'mail' }),
    { username: 'anna', password: 'secret' },
  ],
  [
    'webhook',
    webhookConnector as Connector<unknown>,
    () => webhookConnector.validateSettings({ url: `${origin}/hook` }),
    { secret: newWebhookSecret() },
  ],
];

const transient = (code: string, extra?: object) => ({ code, transient: true, ...(extra ? { extra } : {}) });
const permanent = (code: string) => ({ code, transient: false });

/** The class of each answer; the webhook's 401 is its own (below). */
const classes: [string, Plan, object][] = [
  ['401 → connect again', { status: 401 }, permanent('target_credentials_rejected')],
  ['403 → denied', { status: 403 }, permanent('target_access_denied')],
  ['404 → target gone', { status: 404 }, permanent('target_record_not_found')],
  ['409 → conflict', { status: 409 }, permanent('target_conflict')],
  ['413 → too large', { status: 413 }, permanent('target_file_too_large')],
  [
    '429 → later, no sooner than Retry-After',
    { status: 429 },
    transient('target_throttled', expect.objectContaining({ retryAfterMs: 7000 })),
  ],
  ['500 → unavailable, later', { status: 500 }, transient('target_unavailable')],
  ['503 → unavailable, later', { status: 503 }, transient('target_unavailable')],
  ['no answer → timeout, later', { status: 0, hang: true }, transient('target_timeout')],
];

describe('every HTTP connector classifies a system’s failures alike', () => {
  for (const [type, connector, settings, credential] of connectors) {
    it.each(classes)(`${type}: %s`, async (_name, answer, expected) => {
      plan = answer;
      requests.length = 0;
      const mail = mailOf('Failing', 'text', [part('message', 'm.eml', Buffer.from('mime'))]);
      const error = await failureOf(
        connector.transferMail(context(credential), settings(), mail, memoryProgress()),
      );
      // A receiver that refuses the call refuses the signature, not a user's account: no account to
      // connect again, so the webhook names its signing secret instead (webhook-connector.ts).
      const wanted =
        type === 'webhook' && answer.status === 401 ? permanent('target_access_denied') : expected;
      expect(
        { code: error.code, transient: isTransientTargetFailure(error), extra: error.extra },
        error.message,
      ).toMatchObject(wanted);
      expect(requests.length, 'the system was asked').toBeGreaterThan(0);
    });
  }
});
