import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failureOf } from '../../test-support/app-error-of.js';
import type { ConnectorContext } from '../connector.js';
import { createConnectorNetwork } from '../kit/guarded-fetch.js';
import { RECORD_PART_KEY } from '../rest-target/record-once.js';
import { mailOf, memoryProgress, part, restContext } from '../rest-target/rest-target-test-support.js';
import { isTransientTargetFailure } from '../rest-target/target-http.js';
import { createDownloadLinks, verifyDownloadToken } from './download-links.js';
import type { WebhookPayload } from './webhook.schemas.js';
import { newWebhookSecret, webhookConnector } from './webhook-connector.js';

/**
 * A receiver as a customer would write one: it verifies every call with the Standard Webhooks
 * library and its copy of the secret, answers 401 when that fails, and can be told to answer 503
 * or to hang for the next calls.
 */
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  verified: boolean;
}
let receiver: Server;
let receiverUrl: string;
let receiverSecret: string;
let received: Received[] = [];
let planned: ('fail503' | 'hang')[] = [];

const secret = newWebhookSecret();
const linkKey = randomBytes(32);
const ids = { tenantId: randomUUID(), transferId: randomUUID() };
const clock = { now: new Date('2026-11-30T07:00:00Z') };

function headersOf(received: Received): Record<string, string> {
  return Object.fromEntries(
    Object.entries(received.headers).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = true;
      try {
        new Webhook(receiverSecret).verify(body, headersOf({ headers: request.headers, body, verified }));
      } catch {
        verified = false;
      }
      received.push({ headers: request.headers, body, verified });
      const next = planned.shift();
      if (next === 'hang') return; // never answers: the sender's timeout must end it
      response.statusCode = !verified ? 401 : next === 'fail503' ? 503 : 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/mailissa`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
  received = [];
  planned = [];
  receiverSecret = secret;
});

/** The guarded fetch, admitting only the receiver's origin, as demo mode's allow-list would. */
function context(
  options: {
    credential?: Record<string, string>;
    timeouts?: { connect: number; headers: number; body: number };
  } = {},
): ConnectorContext {
  const network = createConnectorNetwork({
    allowedOrigins: [new URL(receiverUrl).origin],
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  });
  return {
    ...restContext(options.credential ?? { secret }),
    fetch: network.fetch,
    downloadLinks: createDownloadLinks({
      key: linkKey,
      publicBaseUrl: 'https://mailissa.example',
      now: () => clock.now,
      ...ids,
    }),
  };
}

const settings = () => webhookConnector.validateSettings({ url: receiverUrl, linkMinutes: '30' });
const eml = Buffer.from('From: lena\r\nSubject: Delivery dates\r\n\r\nHello\r\n');
const mail = () =>
  mailOf('Delivery dates', 'Hello', [
    part('message', 'message.eml', eml),
    part('attachment:AAMk=1', 'Liefertermine.xlsx', randomBytes(1000)),
  ]);

describe('webhook connector against a real local receiver', () => {
  it('validates settings, naming the bad field', () => {
    expect(
      webhookConnector.validateSettings({ url: 'https://hooks.example.com/in', linkMinutes: '' }),
    ).toEqual({
      url: 'https://hooks.example.com/in',
      linkMinutes: 60,
    });
    expect(() => webhookConnector.validateSettings({ url: 'http://hooks.example.com/in' })).toThrow(
      /^settings\.url: must be an https:\/\/ address$/,
    );
    expect(() => webhookConnector.validateSettings({ url: 'hooks.example.com' })).toThrow(/settings\.url/);
    expect(() => webhookConnector.validateSettings({ url: 'https://u:p@hooks.example.com/' })).toThrow(
      /settings\.url: must not contain a user name/,
    );
    expect(() => webhookConnector.validateSettings({ url: receiverUrl, linkMinutes: '2' })).toThrow(
      /^settings\.linkMinutes: must be at least 5 minutes$/,
    );
    expect(() => webhookConnector.validateSettings({})).toThrow(/settings\.url/);
  });

  it('POSTs the mail metadata with signed download links, signed so the receiver’s library accepts it', async () => {
    const progress = memoryProgress();
    const result = await webhookConnector.transferMail(context(), settings(), mail(), progress);
    expect(result).toEqual({ url: null, files: [] });
    expect(received).toHaveLength(1);
    const [call] = received as [Received];
    expect(call.verified).toBe(true);
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers['webhook-id']).toBe(progress.rows.get(RECORD_PART_KEY)?.name);
    const payload = new Webhook(secret).verify(call.body, headersOf(call)) as WebhookPayload;
    expect(payload).toMatchObject({
      type: 'mail.transferred',
      data: {
        mail: {
          subject: 'Delivery dates',
          internetMessageId: '<Deliverydates@contoso.example>',
          from: { name: 'Lena Vogt', address: 'lena.vogt@fabrikam.example' },
          receivedAt: '2026-11-09T10:20:00.000Z',
          categories: ['Customer', 'Urgent'],
        },
      },
    });
    const files = (
      payload.data as { files: { name: string; kind: string; url: string; expiresAt: string }[] }
    ).files;
    expect(files.map((file) => [file.kind, file.name])).toEqual([
      ['message', '2026-11-09 1020 Delivery dates.eml'],
      ['attachment', 'Liefertermine.xlsx'],
    ]);
    // Each link names its part of this transfer and expires when the settings say.
    for (const [index, key] of ['message', 'attachment:AAMk=1'].entries()) {
      const file = files[index];
      expect(file?.expiresAt).toBe('2026-11-30T07:30:00.000Z');
      const token = file?.url.replace('https://mailissa.example/api/transfer-downloads/', '') ?? '';
      expect(verifyDownloadToken(linkKey, token, clock.now)).toEqual({
        ...ids,
        partKey: key,
        expiresAt: new Date(file?.expiresAt ?? ''),
      });
    }
    // Done is done: running the job again sends nothing.
    await webhookConnector.transferMail(context(), settings(), mail(), progress);
    expect(received).toHaveLength(1);
  });

  it('is refused when tampered with: a changed body or another secret fails the library’s check', async () => {
    await webhookConnector.transferMail(context(), settings(), mail(), memoryProgress());
    const [call] = received as [Received];
    const verifier = new Webhook(secret);
    expect(() =>
      verifier.verify(call.body.replace('Delivery dates', 'Delivery dateZ'), headersOf(call)),
    ).toThrow(WebhookVerificationError);
    const forged = { ...headersOf(call), 'webhook-id': 'mailissa-someone-else' };
    expect(() => verifier.verify(call.body, forged)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(newWebhookSecret()).verify(call.body, headersOf(call))).toThrow(
      WebhookVerificationError,
    );

    // A receiver that holds another secret refuses the call; the transfer fails at once, not retried.
    receiverSecret = newWebhookSecret();
    const refused = await failureOf(
      webhookConnector.transferMail(context(), settings(), mail(), memoryProgress()),
    );
    expect(received.at(-1)?.verified).toBe(false);
    expect(refused).toMatchObject({ status: 403, code: 'target_access_denied' });
    expect(refused.message).toMatch(/refused the call \(HTTP 401\).*signing secret/);
    expect(isTransientTargetFailure(refused)).toBe(false);
  });

  it('after a 503 the retry sends the same webhook-id, freshly signed, and the receiver accepts it', async () => {
    const progress = memoryProgress();
    planned = ['fail503'];
    const first = await failureOf(webhookConnector.transferMail(context(), settings(), mail(), progress));
    expect(first).toMatchObject({ status: 503, code: 'target_unavailable' });
    expect(isTransientTargetFailure(first)).toBe(true);

    await webhookConnector.transferMail(context(), settings(), mail(), progress);
    expect(received).toHaveLength(2);
    const [before, after] = received as [Received, Received];
    expect(after.headers['webhook-id']).toBe(before.headers['webhook-id']);
    expect(after.verified).toBe(true);
    expect(progress.rows.get(RECORD_PART_KEY)).toMatchObject({ done: true });
  });

  it('a receiver that does not answer is a timeout, retried later', async () => {
    planned = ['hang'];
    const timedOut = await failureOf(
      webhookConnector.transferMail(
        context({ timeouts: { connect: 1000, headers: 300, body: 300 } }),
        settings(),
        mail(),
        memoryProgress(),
      ),
    );
    expect(timedOut).toMatchObject({ status: 503, code: 'target_timeout' });
    expect(isTransientTargetFailure(timedOut)).toBe(true);
  });

  it('never reaches a private address in production, and needs its secret', async () => {
    const production = { ...context(), fetch: createConnectorNetwork({ allowedOrigins: [] }).fetch };
    expect(
      await failureOf(webhookConnector.transferMail(production, settings(), mail(), memoryProgress())),
    ).toMatchObject({ status: 400, code: 'target_address_refused' });
    expect(
      await failureOf(
        webhookConnector.transferMail(
          { ...production, credential: {} },
          webhookConnector.validateSettings({ url: 'https://169.254.169.254/latest' }),
          mail(),
          memoryProgress(),
        ),
      ),
    ).toMatchObject({ status: 409, code: 'target_misconfigured' });
    expect(received).toHaveLength(0);
  });

  it('tests the connection: a signed test call with the secret, a plain probe before there is one', async () => {
    expect(await webhookConnector.testConnection(context(), settings())).toEqual({
      ok: true,
      message: 'The receiver accepted a signed test call (HTTP 204).',
    });
    expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({ type: 'webhook.test' });
    receiverSecret = newWebhookSecret();
    expect(await webhookConnector.testConnection(context(), settings())).toMatchObject({
      ok: false,
      message: expect.stringMatching(/refused the call/),
    });
    const withoutSecret = { ...context(), credential: undefined } as ConnectorContext;
    expect(await webhookConnector.testConnection(withoutSecret, settings())).toMatchObject({ ok: true });
  });
});
