import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { AppError } from '../../errors/app-error.js';
import type { Connector, ConnectorContext, MailSource } from '../connector.js';
import { partContentType, partFileName } from '../rest-target/mail-fields.js';
import { createOnce } from '../rest-target/record-once.js';
import { type TargetSystem, targetRequest } from '../rest-target/target-http.js';
import { validateWith } from '../rest-target/validate-settings.js';
import {
  type WebhookPayload,
  type WebhookSettings,
  webhookCredentialSchema,
  webhookSettingsSchema,
} from './webhook.schemas.js';

/** A receiver answers quickly (it queues its work); one that does not is retried later. */
const WEBHOOK_TIMEOUT_MS = 30_000;

/** The receiver's body is the customer's own text: nothing of it goes to our log. */
const RECEIVER: TargetSystem = {
  name: 'The webhook receiver',
  describeError: () => '',
};

/** `whsec_` and 32 random bytes, base64, as Standard Webhooks writes a secret. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function secretOf(context: ConnectorContext): string {
  const parsed = webhookCredentialSchema.safeParse(context.credential ?? {});
  if (!parsed.success) {
    throw new AppError(
      409,
      'target_misconfigured',
      'This webhook target has no signing secret. An administrator renews it in the portal.',
    );
  }
  return parsed.data.secret;
}

/**
 * One signed call (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature` =
 * `v1,` + HMAC-SHA256 of `id.timestamp.body`). The id is the caller's: the same on every retry of a
 * message, so the receiver can drop a repeat. A redirect is refused, not followed: a POST turned
 * into a GET elsewhere would lose the call.
 */
async function post(
  context: ConnectorContext,
  settings: WebhookSettings,
  secret: string,
  id: string,
  payload: WebhookPayload,
  what: string,
): Promise<Response> {
  const body = JSON.stringify(payload);
  // The receiver checks the timestamp against its own clock (five minutes' tolerance): real time.
  const timestamp = new Date();
  const response = await targetRequest(context, RECEIVER, {
    method: 'POST',
    url: settings.url,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Mailissa-Webhook/1',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, timestamp, body),
    },
    body,
    accept: [401, 403],
    what,
    timeoutMs: WEBHOOK_TIMEOUT_MS,
  });
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new AppError(
      403,
      'target_access_denied',
      `The webhook receiver refused the call (HTTP ${response.status}). It must verify the signature with this target's signing secret; an administrator can renew the secret in the portal.`,
      { detail: `${what}: receiver answered ${response.status}` },
    );
  }
  await response.body?.cancel();
  return response;
}

function mailOf(mail: MailSource) {
  return {
    internetMessageId: mail.internetMessageId,
    subject: mail.subject,
    from: mail.from ?? null,
    receivedAt: mail.receivedAt.toISOString(),
    categories: mail.categories ?? [],
  };
}

export const webhookConnector: Connector<WebhookSettings> = {
  type: 'webhook',
  names: { en: 'Webhook', de: 'Webhook' },
  picker: null,
  credentialKind: 'tenant',
  credentialFields: [],
  generateCredential() {
    const secret = newWebhookSecret();
    return { fields: { secret }, shown: secret };
  },
  // It neither writes files nor makes records itself: the receiver does, with the links.
  capabilities: [],
  settingsSchema: webhookSettingsSchema,

  describeSettings() {
    return [
      {
        key: 'url',
        kind: 'url',
        required: true,
        label: { en: 'Receiver address (https)', de: 'Adresse des Empfängers (https)' },
        help: {
          en: 'Each transfer is POSTed here as JSON with links to the mail and its attachments, signed per Standard Webhooks.',
          de: 'Jede Übertragung wird hierhin als JSON mit Links zur E-Mail und ihren Anhängen gesendet (POST), signiert nach Standard Webhooks.',
        },
      },
      {
        key: 'linkMinutes',
        kind: 'text',
        required: false,
        label: { en: 'Links valid for (minutes)', de: 'Links gültig für (Minuten)' },
        help: {
          en: '60 unless set; between 5 and 1440.',
          de: '60, wenn leer; zwischen 5 und 1440.',
        },
      },
    ];
  },

  validateSettings(input) {
    // The form sends an empty field as '': that means "the default", not "zero minutes".
    const raw = input as Record<string, unknown> | null;
    const cleaned =
      raw && typeof raw === 'object' && raw.linkMinutes === '' ? { ...raw, linkMinutes: undefined } : input;
    return validateWith(webhookSettingsSchema, cleaned);
  },

  async testConnection(context, settings) {
    try {
      if (!context.credential) {
        // Without the secret (not yet created) a signed call is impossible: prove the address answers.
        const response = await targetRequest(context, RECEIVER, {
          method: 'GET',
          url: settings.url,
          accept: [400, 401, 403, 404, 405],
          what: 'probe',
          timeoutMs: WEBHOOK_TIMEOUT_MS,
        });
        await response.body?.cancel();
        return {
          ok: true,
          message: `The receiver answers (HTTP ${response.status}). Save the target to get its signing secret.`,
        };
      }
      const response = await post(
        context,
        settings,
        secretOf(context),
        `mailissa-test-${randomUUID()}`,
        { type: 'webhook.test', timestamp: new Date().toISOString(), data: {} },
        'send a test call',
      );
      return { ok: true, message: `The receiver accepted a signed test call (HTTP ${response.status}).` };
    } catch (error) {
      // Refused, unreachable or down: the administrator reads why; only our own bugs propagate.
      if (error instanceof AppError) return { ok: false, message: error.message };
      throw error;
    }
  },

  async transferMail(context, settings, mail, progress) {
    const secret = secretOf(context);
    const links = context.downloadLinks;
    if (!links) throw new Error('the webhook connector needs download links from the transfer');
    // One message per transfer: its id is recorded before the first call and reused by every retry
    // (decision 100). A receiver cannot be asked whether it got an earlier try, so a retry sends again.
    await createOnce(progress, {
      async find() {
        return undefined;
      },
      async create(webhookId) {
        const lifetimeMs = settings.linkMinutes * 60_000;
        // Fresh links on every try: an earlier try's may have run out while the receiver was down.
        const files = mail.parts.map((part) => {
          const link = links.linkFor(part.key, lifetimeMs);
          return {
            kind: part.key === 'message' ? 'message' : 'attachment',
            name: partFileName(mail, part),
            contentType: partContentType(part),
            url: link.url,
            expiresAt: link.expiresAt.toISOString(),
          };
        });
        await post(
          context,
          settings,
          secret,
          webhookId,
          {
            type: 'mail.transferred',
            timestamp: new Date().toISOString(),
            data: { mail: mailOf(mail), files },
          },
          'deliver the webhook',
        );
        return webhookId;
      },
    });
    return { url: null, files: [] };
  },

  async findExistingRecords() {
    return [];
  },
};
