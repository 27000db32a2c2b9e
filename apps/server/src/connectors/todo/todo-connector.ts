import { z } from 'zod';
import type { GraphClient } from '../../graph/graph-client.js';
import type { Connector } from '../connector.js';
import { asUser, parseSettings, userGraphOf } from '../m365/acting-as-user.js';
import { readMailText } from '../m365/mail-text.js';
import { type TodoSettings, todoSettingsSchema } from './todo.schemas.js';

const listSchema = z.looseObject({
  id: z.string(),
  displayName: z.string(),
  wellknownListName: z.string().optional(),
});
const taskSchema = z.looseObject({ id: z.string() });

/** The list named in the settings (or the default list), created when the user has none of that name. */
async function listFor(userGraph: GraphClient, settings: TodoSettings): Promise<string> {
  const lists: z.infer<typeof listSchema>[] = [];
  for await (const list of userGraph.paginate<unknown>('/me/todo/lists')) lists.push(listSchema.parse(list));
  const wanted = settings.listName.toLowerCase();
  const found = wanted
    ? lists.find((list) => list.displayName.toLowerCase() === wanted)
    : lists.find((list) => list.wellknownListName === 'defaultList');
  if (found) return found.id;
  const created = listSchema.parse(
    await userGraph.json({
      method: 'POST',
      path: '/me/todo/lists',
      body: { displayName: settings.listName || 'Tasks' },
      what: 'create To Do list',
    }),
  );
  return created.id;
}

/**
 * A Microsoft To Do task in the user's own list: the subject as title, the mail's text as body, and a
 * linked resource that leads back to the mail in Outlook (docs/microsoft-365.md §7.3, §7.6).
 */
export const todoConnector: Connector<TodoSettings> = {
  type: 'todo',
  names: { en: 'Microsoft To Do task', de: 'Microsoft To Do-Aufgabe' },
  picker: null,
  needsUserCredentials: false,
  actsAsUser: true,
  settingsSchema: todoSettingsSchema,

  describeSettings() {
    return [
      {
        key: 'listName',
        kind: 'text',
        required: false,
        label: { en: 'To Do list', de: 'To Do-Liste' },
        help: {
          en: 'Each user’s list of this name (created if missing); empty: their default list “Tasks”',
          de: 'Die Liste dieses Namens bei jedem Benutzer (wird bei Bedarf angelegt); leer: die Standardliste „Aufgaben“',
        },
      },
    ];
  },

  validateSettings(input) {
    return parseSettings(todoSettingsSchema, input);
  },

  /** To Do lists are personal: nothing to check until a user files a mail. */
  async testConnection(_context, settings) {
    return {
      ok: true,
      message: settings.listName
        ? `Each user's task goes to their own list "${settings.listName}", created at their first transfer if missing.`
        : "Each user's task goes to their own default list.",
    };
  },

  async transferMail(context, settings, mail) {
    const userGraph = userGraphOf(context);
    return asUser('your To Do list', async () => {
      const listId = await listFor(userGraph, settings);
      const { text, webLink } = await readMailText(userGraph, mail.messageId);
      const subject = mail.subject.trim() || '(no subject)';
      taskSchema.parse(
        await userGraph.json({
          method: 'POST',
          path: `/me/todo/lists/${encodeURIComponent(listId)}/tasks`,
          body: {
            title: subject.slice(0, 255),
            body: { content: text, contentType: 'text' },
            linkedResources: webLink
              ? [
                  {
                    webUrl: webLink,
                    applicationName: 'Mailissa',
                    displayName: subject.slice(0, 255),
                    externalId: mail.internetMessageId.slice(0, 255),
                  },
                ]
              : [],
          },
          what: 'create To Do task',
        }),
      );
      return { url: webLink, files: [] };
    });
  },

  async findExistingRecords() {
    return [];
  },
};
