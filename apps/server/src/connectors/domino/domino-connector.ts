import { z } from 'zod';
import { AppError } from '../../errors/app-error.js';
import type { Connector, ConnectorContext, ExistingRecord, MailSource } from '../connector.js';
import { MAIL_FIELD_SOURCE_OPTIONS, mailFieldValue, partContentType } from '../rest-target/mail-fields.js';
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
  DOMINO_UNID,
  type DominoSettings,
  dominoAuthSchema,
  dominoCredentialSchema,
  dominoDocumentSchema,
  dominoQuerySchema,
  dominoSettingsSchema,
} from './domino.schemas.js';

const now = () => new Date();

/** DRAPI's error body `{ status, message, errorId }`; the message names items, not their values. */
const DOMINO: TargetSystem = {
  name: 'HCL Domino',
  describeError(_status, body) {
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      return typeof parsed.message === 'string' ? parsed.message.slice(0, 160) : 'no message';
    } catch {
      return 'no JSON error body';
    }
  },
};

interface DominoClient {
  request(
    call: Omit<TargetCall, 'url'> & { path: string; query?: Record<string, string> },
  ): Promise<Response>;
}

/** A DQL string literal; the emulator and DRAPI both read a doubled quote as one. */
function dqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Signs in with the user's Domino name and Internet password (`POST /api/v1/auth`) and calls DRAPI
 * with the JWT it returns. One sign-in per transfer: DRAPI's tokens live 120 minutes by default.
 */
async function dominoClient(context: ConnectorContext, settings: DominoSettings): Promise<DominoClient> {
  const credential = dominoCredentialSchema.safeParse(context.credential ?? {});
  if (!credential.success)
    throw new AppError(401, 'target_credentials_missing', 'Connect your Domino account first.');
  const api = `${settings.serverUrl}/api/v1`;
  const auth = await targetRequest(
    context,
    DOMINO,
    { method: 'POST', url: `${api}/auth`, json: credential.data, what: 'sign in' },
    now,
  );
  const { bearer } = await readJson(DOMINO, auth, dominoAuthSchema, 'sign in');
  return {
    request({ path, query, headers, ...call }) {
      const search = new URLSearchParams({ dataSource: settings.dataSource, ...query });
      return targetRequest(
        context,
        DOMINO,
        {
          ...call,
          url: `${api}${path}?${search}`,
          headers: { authorization: `Bearer ${bearer}`, ...headers },
        },
        now,
      );
    },
  };
}

async function itemsOf(
  settings: DominoSettings,
  mail: MailSource,
  marker: string,
): Promise<Record<string, unknown>> {
  const items: Record<string, unknown> = { Form: settings.form, [settings.markerItem]: marker };
  for (const mapping of settings.fieldMapping) {
    if (mapping.source === 'category') items[mapping.field] = mail.categories ?? [];
    else if (mapping.source === 'body')
      items[mapping.field] = { type: 'text/plain', content: await mailFieldValue(mail, 'body') };
    else items[mapping.field] = await mailFieldValue(mail, mapping.source);
  }
  return items;
}

async function getDocument(client: DominoClient, unid: string) {
  const response = await client.request({ path: `/document/${unid}`, what: 'read document', accept: [404] });
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  return readJson(DOMINO, response, dominoDocumentSchema, 'read document');
}

function subjectField(settings: DominoSettings): string {
  return settings.fieldMapping.find((mapping) => mapping.source === 'subject')?.field ?? 'Subject';
}

export const dominoConnector: Connector<DominoSettings> = {
  type: 'domino',
  names: { en: 'HCL Domino', de: 'HCL Domino' },
  picker: null,
  credentialKind: 'user',
  credentialFields: [
    {
      key: 'username',
      kind: 'text',
      required: true,
      label: { en: 'Domino user name', de: 'Domino-Benutzername' },
    },
    {
      key: 'password',
      kind: 'secret',
      required: true,
      label: { en: 'Internet password', de: 'Internet-Kennwort' },
    },
  ],
  capabilities: ['create_record', 'link_existing', 'search_records', 'field_mapping'],
  settingsSchema: dominoSettingsSchema,

  describeSettings() {
    return [
      {
        key: 'serverUrl',
        // `url`: checked by the SSRF guard when the target is saved, not only when it is used.
        kind: 'url',
        required: true,
        label: { en: 'Domino REST API server', de: 'Domino-REST-API-Server' },
        help: { en: 'e.g. https://domino.example.com', de: 'z. B. https://domino.example.com' },
      },
      {
        key: 'dataSource',
        kind: 'text',
        required: true,
        label: { en: 'Scope (database)', de: 'Scope (Datenbank)' },
      },
      {
        key: 'form',
        kind: 'text',
        required: false,
        label: { en: 'Form', de: 'Maske' },
        help: { en: 'Memo unless set', de: 'Memo, wenn leer' },
      },
      {
        key: 'parentUnid',
        kind: 'text',
        required: false,
        label: { en: 'Always file under document (UNID)', de: 'Immer unter Dokument ablegen (UNID)' },
      },
      {
        key: 'fieldMapping',
        kind: 'field_mapping',
        required: true,
        label: { en: 'Fields of the form', de: 'Felder der Maske' },
        help: {
          en: "The form's item names (Subject, From, …) and what of the mail each one gets.",
          de: 'Die Feldnamen der Maske (Subject, From, …) und was jedes aus der E-Mail erhält.',
        },
        sources: MAIL_FIELD_SOURCE_OPTIONS,
      },
    ];
  },

  validateSettings(input) {
    return validateWith(dominoSettingsSchema, input);
  },

  async testConnection(context, settings) {
    try {
      if (!context.credential) {
        // An unauthenticated call must be refused with DRAPI's JSON error: the address is a DRAPI server.
        const response = await targetRequest(context, DOMINO, {
          url: `${settings.serverUrl}/api/v1/userinfo`,
          what: 'probe',
          accept: [401, 403],
        });
        const body = (await response.json().catch(() => undefined)) as { status?: unknown } | undefined;
        return response.status === 401 && typeof body?.status === 'number'
          ? { ok: true, message: 'The Domino REST API answers; each user connects their own account.' }
          : { ok: false, message: 'This address is not a Domino REST API server.' };
      }
      const client = await dominoClient(context, settings);
      const response = await client.request({ path: '/scope', what: 'read scope' });
      const scope = (await response.json()) as { forms?: { formName?: string }[] };
      if (!scope.forms?.some((form) => form.formName?.toLowerCase() === settings.form.toLowerCase()))
        return {
          ok: false,
          message: `The scope ${settings.dataSource} has no form "${settings.form}" configured.`,
        };
      return {
        ok: true,
        message: `Signed in; documents go to ${settings.dataSource} with the form ${settings.form}.`,
      };
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return { ok: false, message: error.message };
      throw error;
    }
  },

  async transferMail(context, settings, mail, progress, choices) {
    const client = await dominoClient(context, settings);
    const parent = choices?.linkTo ?? settings.parentUnid;
    if (parent) {
      if (!DOMINO_UNID.test(parent))
        throw new AppError(400, 'invalid_settings', `linkTo: "${parent}" is not a document UNID.`);
      if (!(await getDocument(client, parent)))
        throw new AppError(
          404,
          'target_record_not_found',
          'The Domino document to file under was not found.',
        );
    }
    const { id: unid } = await createOnce(progress, {
      async find(marker) {
        const response = await client.request({
          method: 'POST',
          path: '/query',
          query: { action: 'execute' },
          json: {
            query: `Form = ${dqlString(settings.form)} and ${settings.markerItem} = ${dqlString(marker)}`,
            count: 1,
          },
          what: 'look for a document made earlier',
        });
        return (await readJson(DOMINO, response, dominoQuerySchema, 'query'))[0]?.['@meta'].unid;
      },
      async create(marker) {
        const response = await client.request({
          method: 'POST',
          path: '/document',
          ...(parent ? { query: { parentUnid: parent } } : {}),
          json: await itemsOf(settings, mail, marker),
          what: 'create document',
        });
        return (await readJson(DOMINO, response, dominoDocumentSchema, 'create document'))['@meta'].unid;
      },
    });
    const files = await writeParts(mail, progress, {
      async landed(name) {
        const response = await client.request({ path: `/attachmentnames/${unid}`, what: 'list attachments' });
        const names = await readJson(DOMINO, response, z.array(z.string()), 'list attachments');
        return names.includes(name);
      },
      async upload(part, name, content) {
        const form = multipartBody({
          field: 'file',
          fileName: name,
          contentType: partContentType(part),
          content,
        });
        const response = await client.request({
          method: 'POST',
          path: `/attachments/${unid}`,
          headers: { 'content-type': form.contentType },
          body: form.body,
          what: 'upload attachment',
          timeoutMs: UPLOAD_TIMEOUT_MS,
        });
        await response.body?.cancel();
      },
    });
    // Domino documents have no web address of their own outside a configured web application.
    return { url: null, files };
  },

  recordIdProblem(id) {
    return DOMINO_UNID.test(id) ? null : 'is not a Domino document UNID (32 hexadecimal characters)';
  },

  async findExistingRecords(context, settings, query) {
    const client = await dominoClient(context, settings);
    const text = query.text.trim();
    const field = subjectField(settings);
    const records: ExistingRecord[] = [];
    if (DOMINO_UNID.test(text)) {
      const doc = await getDocument(client, text);
      if (doc)
        records.push({ id: doc['@meta'].unid, title: String(doc[field] ?? doc['@meta'].unid), url: null });
      return records;
    }
    const words = text
      .replace(/[^\p{L}\p{N}\s]/gu, ' ')
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 5);
    if (words.length === 0) return records;
    const response = await client.request({
      method: 'POST',
      path: '/query',
      query: { action: 'execute' },
      json: {
        query: `Form = ${dqlString(settings.form)} and ${field} contains (${words.map(dqlString).join(', ')})`,
        count: 20,
      },
      what: 'search documents',
    });
    for (const doc of await readJson(DOMINO, response, dominoQuerySchema, 'search documents')) {
      records.push({ id: doc['@meta'].unid, title: String(doc[field] ?? doc['@meta'].unid), url: null });
    }
    return records;
  },
};
