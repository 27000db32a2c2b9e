import { AppError } from '../../errors/app-error.js';
import type { Connector, ConnectorContext, ExistingRecord, MailSource } from '../connector.js';
import {
  MAIL_FIELD_SOURCE_OPTIONS,
  mailFieldValue,
  oneLine,
  partContentType,
  recordText,
  senderText,
} from '../rest-target/mail-fields.js';
import { multipartBody } from '../rest-target/multipart-body.js';
import { createOnce } from '../rest-target/record-once.js';
import {
  readJson,
  type TargetCall,
  type TargetSystem,
  targetRequest,
  UPLOAD_TIMEOUT_MS,
} from '../rest-target/target-http.js';
import { validateWith } from '../rest-target/validate-settings.js';
import { writeParts } from '../rest-target/write-parts.js';
import {
  TRELLO_ID,
  TRELLO_SHORT_LINK,
  type TrelloSettings,
  trelloActionSchema,
  trelloAttachmentSchema,
  trelloCardSchema,
  trelloCredentialSchema,
  trelloCustomFieldSchema,
  trelloListSchema,
  trelloMemberSchema,
  trelloSearchSchema,
  trelloSettingsSchema,
} from './trello.schemas.js';

/** Trello caps a card's description and a comment at 16,384 characters. */
const MAX_TRELLO_TEXT = 16_384;
const now = () => new Date();

/** Trello answers errors in plain text ("invalid token"), rate limits in JSON; both are safe to log. */
const TRELLO: TargetSystem = {
  name: 'Trello',
  describeError(_status, body) {
    return body.slice(0, 80).replace(/\s+/g, ' ');
  },
  // Trello says 401 both for a bad token and for a board the member may not see.
  effectiveStatus(status, body) {
    return status === 401 && /permission requested/i.test(body) ? 403 : status;
  },
};

interface TrelloClient {
  request(
    call: Omit<TargetCall, 'url'> & { path: string; query?: Record<string, string> },
  ): Promise<Response>;
}

/** Key and token travel as query parameters, as Trello's REST API documents them. */
function trelloClient(context: ConnectorContext, settings: TrelloSettings): TrelloClient {
  const credential = trelloCredentialSchema.safeParse(context.credential ?? {});
  if (!credential.success)
    throw new AppError(401, 'target_credentials_missing', 'Connect your Trello account first.');
  return {
    request({ path, query, ...call }) {
      const search = new URLSearchParams({
        ...query,
        key: credential.data.apiKey,
        token: credential.data.token,
      });
      return targetRequest(context, TRELLO, { ...call, url: `${settings.apiUrl}${path}?${search}` }, now);
    },
  };
}

/** The text of a card or comment: who sent the mail, its text, and the marker a retry looks for. */
async function cardText(mail: MailSource, marker: string, intro: string): Promise<string> {
  const footer = `\n\n---\nFiled by Mailissa (${marker})`;
  const { text, shortened } = await recordText(mail, MAX_TRELLO_TEXT - intro.length - footer.length - 200);
  const note = shortened ? '\n\n_The text was shortened; the whole mail is attached as .eml._' : '';
  return `${intro}\n\n${text}${note}${footer}`;
}

function introOf(mail: MailSource, comment: boolean): string {
  const sender = senderText(mail);
  const what = comment ? `Mail "${oneLine(mail.subject, 200, '(no subject)')}"` : 'Mail';
  return `_${what}${sender ? ` from ${sender}` : ''}, received ${mail.receivedAt.toISOString()}_`;
}

async function getCard(client: TrelloClient, id: string) {
  const response = await client.request({
    path: `/cards/${encodeURIComponent(id)}`,
    what: 'read card',
    accept: [404],
  });
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  return readJson(TRELLO, response, trelloCardSchema, 'read card');
}

async function getList(client: TrelloClient, id: string) {
  const response = await client.request({ path: `/lists/${encodeURIComponent(id)}`, what: 'read list' });
  return readJson(TRELLO, response, trelloListSchema, 'read list');
}

/** The board's custom fields, by id. */
async function customFieldsOf(client: TrelloClient, idBoard: string) {
  const response = await client.request({
    path: `/boards/${encodeURIComponent(idBoard)}/customFields`,
    what: 'read custom fields',
  });
  const fields = await readJson(TRELLO, response, trelloCustomFieldSchema.array(), 'read custom fields');
  return new Map(fields.map((field) => [field.id, field]));
}

/** What is wrong with the mapping for this board (a field it lacks, a type Mailissa cannot fill), or null. */
async function fieldMappingProblem(
  client: TrelloClient,
  settings: TrelloSettings,
  idBoard: string,
): Promise<string | null> {
  if (settings.fieldMapping.length === 0) return null;
  const fields = await customFieldsOf(client, idBoard);
  for (const { field: id, source } of settings.fieldMapping) {
    const field = fields.get(id);
    if (!field) return `settings.fieldMapping: the board has no custom field ${id}.`;
    if (field.type === 'text') continue;
    if (field.type === 'date' && source === 'date') continue;
    return field.type === 'date'
      ? `settings.fieldMapping: "${field.name}" is a date field; only the received date fits it.`
      : `settings.fieldMapping: "${field.name}" is a ${field.type} field; Mailissa fills text and date fields.`;
  }
  return null;
}

/**
 * Fills the mapped custom fields of a new card (PUT …/customField/{id}/item, one value each), after
 * `fieldMappingProblem` found the mapping fits the board.
 */
async function fillCustomFields(
  client: TrelloClient,
  settings: TrelloSettings,
  mail: MailSource,
  card: { id: string },
): Promise<void> {
  for (const { field, source } of settings.fieldMapping) {
    const text = await mailFieldValue(mail, source);
    if (text === '') continue;
    const value = source === 'date' ? { date: text } : { text: text.slice(0, MAX_TRELLO_TEXT) };
    const response = await client.request({
      method: 'PUT',
      path: `/cards/${card.id}/customField/${field}/item`,
      json: { value },
      what: 'fill custom field',
    });
    await response.body?.cancel();
  }
}

export const trelloConnector: Connector<TrelloSettings> = {
  type: 'trello',
  names: { en: 'Trello', de: 'Trello' },
  picker: null,
  credentialKind: 'user',
  credentialFields: [
    { key: 'apiKey', kind: 'text', required: true, label: { en: 'API key', de: 'API-Schlüssel' } },
    {
      key: 'token',
      kind: 'secret',
      required: true,
      label: { en: 'Token', de: 'Token' },
      help: {
        en: 'Generated for your key on Trello’s Power-Up admin page.',
        de: 'Wird zu Ihrem Schlüssel auf Trellos Power-Up-Verwaltungsseite erzeugt.',
      },
    },
  ],
  capabilities: ['create_record', 'link_existing', 'search_records', 'field_mapping'],
  settingsSchema: trelloSettingsSchema,

  describeSettings() {
    return [
      {
        key: 'listId',
        kind: 'text',
        required: true,
        label: { en: 'List id', de: 'Listen-ID' },
        help: { en: 'New cards go to the top of this list.', de: 'Neue Karten kommen in diese Liste.' },
      },
      {
        key: 'cardId',
        kind: 'text',
        required: false,
        label: { en: 'Always add to card', de: 'Immer zu Karte hinzufügen' },
        help: {
          en: 'Empty: each mail creates a card (or goes to the card the user picks).',
          de: 'Leer: jede E-Mail legt eine Karte an (oder geht zu der, die der Benutzer wählt).',
        },
      },
      {
        key: 'fieldMapping',
        kind: 'field_mapping',
        required: false,
        label: {
          en: 'Fill custom fields from the mail',
          de: 'Benutzerdefinierte Felder aus der E-Mail füllen',
        },
        help: {
          en: 'Ids of the board’s custom fields: text fields take any part of the mail, date fields the received date. Name and description always take the subject and the text.',
          de: 'IDs der benutzerdefinierten Felder des Boards: Textfelder nehmen jeden Teil der E-Mail, Datumsfelder das Empfangsdatum. Name und Beschreibung erhalten immer Betreff und Text.',
        },
        sources: MAIL_FIELD_SOURCE_OPTIONS,
      },
      {
        key: 'apiUrl',
        // `url`: checked by the SSRF guard when the target is saved, not only when it is used.
        kind: 'url',
        required: false,
        label: { en: 'API address', de: 'API-Adresse' },
        help: { en: 'https://api.trello.com/1 unless set', de: 'https://api.trello.com/1, wenn leer' },
      },
    ];
  },

  validateSettings(input) {
    return validateWith(trelloSettingsSchema, input);
  },

  async testConnection(context, settings) {
    try {
      if (!context.credential) {
        // Without a key Trello answers "invalid key": enough to know the address is Trello's API.
        const response = await targetRequest(context, TRELLO, {
          url: `${settings.apiUrl}/members/me`,
          what: 'probe',
          accept: [401],
        });
        const text = await response.text();
        return response.status === 401 && /invalid key/i.test(text)
          ? { ok: true, message: 'Trello answers; each user connects their own account.' }
          : { ok: false, message: 'This address is not Trello’s API.' };
      }
      const client = trelloClient(context, settings);
      const me = await readJson(
        TRELLO,
        await client.request({ path: '/members/me', what: 'who am I' }),
        trelloMemberSchema,
        'me',
      );
      const list = await getList(client, settings.listId);
      if (list.closed) return { ok: false, message: `The list "${list.name}" is archived.` };
      const mappingProblem = await fieldMappingProblem(client, settings, list.idBoard);
      if (mappingProblem) return { ok: false, message: mappingProblem };
      return {
        ok: true,
        message: `Signed in as ${me.fullName ?? me.username}; list "${list.name}" is ready.`,
      };
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return { ok: false, message: error.message };
      throw error;
    }
  },

  async transferMail(context, settings, mail, progress, choices) {
    const client = trelloClient(context, settings);
    const linkTo = choices?.linkTo ?? settings.cardId;
    let card: { id: string; shortUrl: string };
    if (linkTo) {
      if (!TRELLO_ID.test(linkTo) && !TRELLO_SHORT_LINK.test(linkTo))
        throw new AppError(400, 'invalid_settings', `linkTo: "${linkTo}" is not a Trello card id.`);
      const found = await getCard(client, linkTo);
      if (!found || found.closed)
        throw new AppError(404, 'target_record_not_found', 'The Trello card was not found.');
      card = found;
      await createOnce(progress, {
        async find(marker) {
          const response = await client.request({
            path: `/cards/${card.id}/actions`,
            query: { filter: 'commentCard', limit: '1000' },
            what: 'look for a comment made earlier',
          });
          const actions = await readJson(TRELLO, response, trelloActionSchema.array(), 'read comments');
          return actions.find((action) => action.data.text?.includes(marker))?.id;
        },
        async create(marker) {
          const response = await client.request({
            method: 'POST',
            path: `/cards/${card.id}/actions/comments`,
            json: { text: await cardText(mail, marker, introOf(mail, true)) },
            what: 'add comment',
          });
          return (await readJson(TRELLO, response, trelloActionSchema, 'add comment')).id;
        },
      });
    } else {
      if (settings.fieldMapping.length > 0) {
        // The board changed since the target was saved: say what to fix before a card exists.
        const problem = await fieldMappingProblem(
          client,
          settings,
          (await getList(client, settings.listId)).idBoard,
        );
        if (problem) throw new AppError(409, 'target_misconfigured', problem);
      }
      const { id } = await createOnce(progress, {
        async find(marker) {
          // The list's cards rather than Trello's search, whose index lags behind a create.
          const response = await client.request({
            path: `/lists/${settings.listId}/cards`,
            query: { fields: 'name,desc,shortUrl' },
            what: 'look for a card made earlier',
          });
          const cards = await readJson(TRELLO, response, trelloCardSchema.array(), 'read list cards');
          return cards.find((candidate) => candidate.desc?.includes(marker))?.id;
        },
        async create(marker) {
          const response = await client.request({
            method: 'POST',
            path: '/cards',
            json: {
              idList: settings.listId,
              pos: 'top',
              name: oneLine(mail.subject, 255, '(no subject)'),
              desc: await cardText(mail, marker, introOf(mail, false)),
            },
            what: 'create card',
          });
          return (await readJson(TRELLO, response, trelloCardSchema, 'create card')).id;
        },
      });
      const made = await getCard(client, id);
      if (!made) throw new AppError(404, 'target_record_not_found', 'The Trello card was not found.');
      card = made;
      // Setting a value twice leaves one value: a retry after a crash fills them again harmlessly.
      await fillCustomFields(client, settings, mail, made);
    }
    const files = await writeParts(mail, progress, {
      async landed(name, size) {
        const response = await client.request({
          path: `/cards/${card.id}/attachments`,
          what: 'list attachments',
        });
        const attachments = await readJson(
          TRELLO,
          response,
          trelloAttachmentSchema.array(),
          'list attachments',
        );
        return attachments.some((attachment) => attachment.name === name && attachment.bytes === size);
      },
      async upload(part, name, content) {
        const contentType = partContentType(part);
        const form = multipartBody(
          { field: 'file', fileName: name, contentType, content },
          { name, mimeType: contentType },
        );
        const response = await client.request({
          method: 'POST',
          path: `/cards/${card.id}/attachments`,
          headers: { 'content-type': form.contentType },
          body: form.body,
          what: 'upload attachment',
          timeoutMs: UPLOAD_TIMEOUT_MS,
        });
        await readJson(TRELLO, response, trelloAttachmentSchema, 'upload attachment');
      },
    });
    return { url: card.shortUrl, files };
  },

  recordIdProblem(id) {
    return TRELLO_ID.test(id) || TRELLO_SHORT_LINK.test(id) ? null : 'is not a Trello card id';
  },

  async findExistingRecords(context, settings, query) {
    const client = trelloClient(context, settings);
    const text = query.text.trim();
    const shortLink =
      /\/c\/([A-Za-z0-9]{8})/.exec(text)?.[1] ??
      (TRELLO_SHORT_LINK.test(text) || TRELLO_ID.test(text) ? text : undefined);
    const records: ExistingRecord[] = [];
    if (shortLink) {
      const card = await getCard(client, shortLink);
      if (card && !card.closed) records.push({ id: card.id, title: card.name, url: card.shortUrl });
      if (records.length > 0) return records;
    }
    const words = text
      .replace(/[^\p{L}\p{N}\s]/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 100);
    if (!words) return records;
    const list = await getList(client, settings.listId);
    const response = await client.request({
      path: '/search',
      query: {
        query: words,
        modelTypes: 'cards',
        idBoards: list.idBoard,
        cards_limit: '20',
        partial: 'true',
      },
      what: 'search cards',
    });
    const found = await readJson(TRELLO, response, trelloSearchSchema, 'search cards');
    return found.cards.map((card) => ({ id: card.id, title: card.name, url: card.shortUrl }));
  },
};
