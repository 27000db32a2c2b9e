import { z } from 'zod';
import type { GraphClient } from '../../graph/graph-client.js';
import type { Connector } from '../connector.js';
import { asUser, parseSettings, userGraphOf } from '../m365/acting-as-user.js';
import { writeFilesAsUser } from '../m365/drive-files.js';
import { type OneDriveSettings, oneDriveSettingsSchema } from './onedrive.schemas.js';

const WHERE = 'your OneDrive';

/** The user's own OneDrive (`/me/drive`, docs/microsoft-365.md §6): only a delegated token reaches it. */
async function myDriveId(userGraph: GraphClient): Promise<string> {
  const drive = z
    .looseObject({ id: z.string().min(1) })
    .parse(await userGraph.json({ path: '/me/drive?$select=id', what: 'find my OneDrive' }));
  return drive.id;
}

/**
 * OneDrive of the signed-in user: the mail and its attachments land in a folder below the user's
 * OneDrive root, written as the user (on-behalf-of), with the SharePoint connector's upload rules.
 */
export const oneDriveConnector: Connector<OneDriveSettings> = {
  type: 'onedrive',
  names: { en: 'OneDrive (of each user)', de: 'OneDrive (des jeweiligen Benutzers)' },
  picker: null,
  needsUserCredentials: false,
  actsAsUser: true,
  settingsSchema: oneDriveSettingsSchema,

  describeSettings() {
    return [
      {
        key: 'folderPath',
        kind: 'path',
        required: true,
        label: { en: 'Folder in the user’s OneDrive', de: 'Ordner im OneDrive des Benutzers' },
        help: {
          en: 'Created if missing below each user’s OneDrive root, e.g. Mail/Filed',
          de: 'Wird bei Bedarf unterhalb des OneDrive-Stammordners jedes Benutzers angelegt, z. B. Mail/Abgelegt',
        },
      },
    ];
  },

  validateSettings(input) {
    return parseSettings(oneDriveSettingsSchema, input);
  },

  /** No user acts in the portal: each user's OneDrive is reached, as that user, at their transfer. */
  async testConnection(_context, settings) {
    return {
      ok: true,
      message: `Each user's files will go to "${settings.folderPath}" in their own OneDrive; Microsoft checks their access at their first transfer.`,
    };
  },

  async transferMail(context, settings, mail, progress) {
    const userGraph = userGraphOf(context);
    return asUser(WHERE, async () => {
      const driveId = await myDriveId(userGraph);
      const written = await writeFilesAsUser(
        context,
        userGraph,
        { driveId, folderPath: settings.folderPath },
        mail,
        progress,
      );
      return {
        url: written.folderUrl,
        files: written.files.map(({ key, name, size }) => ({ key, name, size })),
      };
    });
  },

  async findExistingRecords() {
    return [];
  },
};
