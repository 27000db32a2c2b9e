import { z } from 'zod';
import { AppError } from '../../errors/app-error.js';
import type { GraphClient } from '../../graph/graph-client.js';
import { graphFailureOf } from '../../graph/graph-errors.js';
import type { Connector } from '../connector.js';
import { asUser, parseSettings, userGraphOf } from '../m365/acting-as-user.js';
import { type PlacedFile, writeFilesAsUser } from '../m365/drive-files.js';
import { type TeamsChannelSettings, teamsChannelSettingsSchema } from './teams-channel.schemas.js';

const filesFolderSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  webUrl: z.string().optional(),
  parentReference: z.looseObject({ driveId: z.string(), path: z.string().optional() }),
});
const postedSchema = z.looseObject({ id: z.string(), webUrl: z.string().nullable().optional() });

const channelPath = (settings: TeamsChannelSettings) =>
  `/teams/${encodeURIComponent(settings.teamId)}/channels/${encodeURIComponent(settings.channelId)}`;

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The folder path of the channel's files folder in its drive: `parentReference.path` is
 * `/drives/{id}/root:` plus the parent's percent-encoded path (docs/microsoft-365.md §6.1).
 */
function folderPathIn(folder: z.infer<typeof filesFolderSchema>): string {
  const parent = (folder.parentReference.path ?? '')
    .replace(/^\/drives?\/[^/]*\/root:?/, '')
    .replace(/^\/+/, '');
  const decoded = parent ? parent.split('/').map(decodeURIComponent).join('/') : '';
  return decoded ? `${decoded}/${folder.name}` : folder.name;
}

/** The message that links the files: the mail's subject as title, each file placed as a reference. */
export function channelMessage(subject: string, files: PlacedFile[]) {
  const attachments = files.map((file) => ({
    // Teams wants the GUID of the file's eTag as the id of a reference attachment.
    id: file.guid ?? crypto.randomUUID(),
    contentType: 'reference',
    contentUrl: file.webUrl,
    name: file.name,
  }));
  const title = subject.trim() || '(no subject)';
  return {
    subject: title.slice(0, 250),
    body: {
      contentType: 'html',
      content: `<p>${escapeHtml(title)}</p>${attachments.map((a) => `<attachment id="${a.id}"></attachment>`).join('')}`,
    },
    attachments,
  };
}

/**
 * A Teams channel: the mail's files go into the channel's files folder (its folder in the team's
 * SharePoint library), then a channel message with the subject as title links them. Both as the
 * user, so only members of the team can file there (docs/microsoft-365.md §7.1, §7.4).
 */
export const teamsChannelConnector: Connector<TeamsChannelSettings> = {
  type: 'teams_channel',
  names: { en: 'Teams channel', de: 'Teams-Kanal' },
  picker: 'teams_channel',
  needsUserCredentials: false,
  actsAsUser: true,
  settingsSchema: teamsChannelSettingsSchema,

  describeSettings() {
    return [
      { key: 'teamId', kind: 'teams_team', required: true, label: { en: 'Team', de: 'Team' } },
      {
        key: 'channelId',
        kind: 'teams_channel',
        required: true,
        label: { en: 'Channel', de: 'Kanal' },
        help: {
          en: 'Files go to the channel’s Files tab; a message in the channel links them',
          de: 'Dateien landen im Reiter „Dateien“ des Kanals; eine Nachricht im Kanal verlinkt sie',
        },
      },
    ];
  },

  validateSettings(input) {
    return parseSettings(teamsChannelSettingsSchema, input);
  },

  /** App-only, the portal can see that the team and channel exist; membership is checked per user. */
  async testConnection({ graph }, settings) {
    try {
      const channel = z
        .looseObject({ displayName: z.string() })
        .parse(await graph.json({ path: channelPath(settings), what: 'read channel' }));
      return {
        ok: true,
        message: `The channel "${channel.displayName}" exists. Only members of the team can file mails there.`,
      };
    } catch (error) {
      const failure = graphFailureOf(error);
      if (failure?.graphStatus === 404) return { ok: false, message: 'The team or channel was not found.' };
      if (failure?.graphStatus === 403)
        return { ok: false, message: 'Mailissa may not read this team’s channels.' };
      if (error instanceof AppError) return { ok: false, message: error.message };
      throw error;
    }
  },

  async transferMail(context, settings, mail, progress) {
    const userGraph: GraphClient = userGraphOf(context);
    return asUser('this Teams channel', async () => {
      const folder = filesFolderSchema.parse(
        await userGraph.json({ path: `${channelPath(settings)}/filesFolder`, what: 'channel files folder' }),
      );
      const written = await writeFilesAsUser(
        context,
        userGraph,
        { driveId: folder.parentReference.driveId, folderPath: folderPathIn(folder) },
        mail,
        progress,
      );
      const posted = postedSchema.parse(
        await userGraph.json({
          method: 'POST',
          path: `${channelPath(settings)}/messages`,
          body: channelMessage(mail.subject, written.files),
          what: 'post channel message',
        }),
      );
      return {
        url: posted.webUrl ?? folder.webUrl ?? null,
        files: written.files.map(({ key, name, size }) => ({ key, name, size })),
      };
    });
  },

  async findExistingRecords() {
    return [];
  },
};
