import { AppError } from '../../errors/app-error.js';
import type { Connector, ConnectorContext, MailPart, TransferProgress, WrittenFile } from '../connector.js';
import { targetFailureOf } from '../kit/http-failure.js';
import {
  mailFileName,
  maxNameLengthIn,
  numberedFileName,
  safeFileName,
} from '../sharepoint/safe-file-name.js';
import { type WebDavSettings, webDavCredentialSchema, webDavSettingsSchema } from './webdav.schemas.js';

const SYSTEM = 'The WebDAV server';
/** After this many taken names something is wrong (or someone is playing games); stop. */
const MAX_COLLISION_NUMBER = 100;

/** The collection URL of a folder path below the configured URL, each segment percent-encoded. */
function collectionUrl(settings: WebDavSettings, folderPath: string): URL {
  const relative = folderPath
    .split('/')
    .filter(Boolean)
    .map((segment) => `${encodeURIComponent(segment)}/`)
    .join('');
  return new URL(relative, settings.url);
}

function authorization(context: ConnectorContext): string {
  const parsed = webDavCredentialSchema.safeParse(context.credential ?? {});
  if (!parsed.success) {
    throw new AppError(
      401,
      'target_account_not_connected',
      'Connect your WebDAV account in the add-in first.',
    );
  }
  const { username, password } = parsed.data;
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** Creates the folder path segment by segment (MKCOL); 405 means the collection is there already. */
async function ensureFolder(context: ConnectorContext, settings: WebDavSettings): Promise<URL> {
  const auth = authorization(context);
  const segments = settings.folderPath.split('/').filter(Boolean);
  for (let i = 1; i <= segments.length; i++) {
    const url = collectionUrl(settings, segments.slice(0, i).join('/'));
    const response = await context.fetch(url, {
      method: 'MKCOL',
      headers: { authorization: auth },
      signal: context.signal,
    });
    if (response.status === 201 || response.status === 405) {
      await response.body?.cancel();
      continue;
    }
    throw await targetFailureOf(response, SYSTEM, 'create the folder');
  }
  return collectionUrl(settings, settings.folderPath);
}

async function sizeOf(context: ConnectorContext, url: URL): Promise<number | undefined> {
  const response = await context.fetch(url, {
    method: 'HEAD',
    headers: { authorization: authorization(context) },
    signal: context.signal,
  });
  await response.body?.cancel();
  if (response.status === 404) return undefined;
  if (!response.ok) throw await targetFailureOf(response, SYSTEM, 'look up a file');
  const length = response.headers.get('content-length');
  return length === null ? undefined : Number(length);
}

/**
 * Writes one part under an unused name. `If-None-Match: *` makes the server refuse (412) instead of
 * overwriting, so a taken name leads to the next numbered one. A part an earlier attempt reserved and
 * that landed whole is only marked done: a retried job never writes a second copy.
 */
async function writePart(
  context: ConnectorContext,
  folder: URL,
  part: MailPart,
  baseName: string,
  progress: TransferProgress,
  maxLength: number,
): Promise<WrittenFile> {
  const recorded = await progress.recorded(part.key);
  if (recorded?.done) return { key: part.key, name: recorded.name, size: recorded.size };
  if (
    recorded &&
    (await sizeOf(context, new URL(encodeURIComponent(recorded.name), folder))) === recorded.size
  ) {
    await progress.done(part.key, recorded.name, recorded.size);
    return { key: part.key, name: recorded.name, size: recorded.size };
  }
  for (let number = 1; number <= MAX_COLLISION_NUMBER; number++) {
    const name = numberedFileName(baseName, number, maxLength);
    const content = await part.open();
    await progress.reserve(part.key, name, content.size);
    const response = await context.fetch(new URL(encodeURIComponent(name), folder), {
      method: 'PUT',
      headers: {
        authorization: authorization(context),
        'if-none-match': '*',
        'content-type': 'application/octet-stream',
        'content-length': String(content.size),
      },
      body: content.body,
      // Streams the file: never more than a chunk of it in memory.
      duplex: 'half',
      signal: context.signal,
    } as RequestInit);
    if (response.status === 412) {
      await response.body?.cancel();
      await content.body.cancel().catch(() => undefined);
      continue;
    }
    if (response.status !== 201 && response.status !== 204 && response.status !== 200) {
      throw await targetFailureOf(response, SYSTEM, 'write the file');
    }
    await response.body?.cancel();
    await progress.done(part.key, name, content.size);
    return { key: part.key, name, size: content.size };
  }
  throw new AppError(
    409,
    'too_many_name_collisions',
    'The target folder already holds too many files of that name.',
  );
}

export const webDavConnector: Connector<WebDavSettings> = {
  type: 'webdav',
  names: { en: 'WebDAV (Nextcloud, ownCloud, …)', de: 'WebDAV (Nextcloud, ownCloud, …)' },
  picker: null,
  credentialKind: 'user',
  capabilities: ['write_files'],
  settingsSchema: webDavSettingsSchema,
  credentialFields: [
    {
      key: 'username',
      kind: 'text',
      required: true,
      label: { en: 'User name', de: 'Benutzername' },
    },
    {
      key: 'password',
      kind: 'secret',
      required: true,
      label: { en: 'Password or app password', de: 'Passwort oder App-Passwort' },
      help: {
        en: 'Nextcloud and ownCloud: create an app password under Settings → Security.',
        de: 'Nextcloud und ownCloud: App-Passwort unter Einstellungen → Sicherheit anlegen.',
      },
    },
  ],

  describeSettings() {
    return [
      {
        key: 'url',
        kind: 'url',
        required: true,
        label: { en: 'WebDAV address', de: 'WebDAV-Adresse' },
        help: {
          en: 'e.g. https://cloud.example.com/remote.php/dav/files/USER/',
          de: 'z. B. https://cloud.example.com/remote.php/dav/files/BENUTZER/',
        },
      },
      {
        key: 'folderPath',
        kind: 'path',
        required: false,
        label: { en: 'Folder', de: 'Ordner' },
        help: {
          en: 'Created if missing, e.g. Mail/Projects',
          de: 'Wird angelegt, falls nötig, z. B. Mail/Projekte',
        },
      },
    ];
  },

  validateSettings(input) {
    const parsed = webDavSettingsSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'settings';
      throw new AppError(400, 'invalid_settings', `settings.${field}: ${issue?.message ?? 'is invalid'}`);
    }
    return parsed.data;
  },

  /** PROPFIND on the configured collection with the account: proves address and credentials. */
  async testConnection(context, settings) {
    if (!webDavCredentialSchema.safeParse(context.credential ?? {}).success) {
      return { ok: false, message: 'Enter a user name and password to test the connection.' };
    }
    try {
      const response = await context.fetch(settings.url, {
        method: 'PROPFIND',
        headers: { authorization: authorization(context), depth: '0', 'content-type': 'application/xml' },
        body: '<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>',
        signal: context.signal,
      });
      await response.body?.cancel();
      if (response.status === 207) return { ok: true, message: `Mailissa can reach ${settings.url}.` };
      if (response.status === 401) return { ok: false, message: 'The user name or password was rejected.' };
      if (response.status === 403) return { ok: false, message: 'This account may not open the folder.' };
      if (response.status === 404) return { ok: false, message: 'The WebDAV address was not found.' };
      return { ok: false, message: `The server answered HTTP ${response.status}; is this a WebDAV address?` };
    } catch (error) {
      if (error instanceof AppError && error.code !== 'target_address_refused') {
        return { ok: false, message: error.message };
      }
      throw error;
    }
  },

  async transferMail(context, settings, mail, progress) {
    const folder = await ensureFolder(context, settings);
    const maxLength = maxNameLengthIn(settings.folderPath);
    const files: WrittenFile[] = [];
    for (const part of mail.parts) {
      const baseName =
        part.key === 'message'
          ? mailFileName(mail.receivedAt, mail.subject, maxLength)
          : safeFileName(part.name, { maxLength });
      files.push(await writePart(context, folder, part, baseName, progress, maxLength));
    }
    return { url: folder.href, files };
  },

  async findExistingRecords() {
    return [];
  },
};
