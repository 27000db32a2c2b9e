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
import { readJson, targetRequest, UPLOAD_TIMEOUT_MS } from '../rest-target/target-http.js';
import { validateWith } from '../rest-target/validate-settings.js';
import { writeParts } from '../rest-target/write-parts.js';
import { adfDoc, notePara, textParagraphs } from './adf.js';
import {
  JIRA_ISSUE_KEY,
  type JiraSettings,
  jiraAttachmentSchema,
  jiraCommentsSchema,
  jiraCreatedSchema,
  jiraIssueSchema,
  jiraMyselfSchema,
  jiraProjectSchema,
  jiraSearchSchema,
  jiraSettingsSchema,
} from './jira.schemas.js';
import { JIRA, type JiraClient, jiraClient, jqlString, jqlWords } from './jira-client.js';

/** The comment property that carries a transfer's marker, so a retry finds its own comment. */
const MARKER_PROPERTY = 'mailissa.transfer';
const now = () => new Date();

/** Jira's datetime fields want `2026-11-09T10:20:00.000+0000`, not ISO's `Z`. */
function jiraDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

async function descriptionOf(mail: MailSource) {
  const sender = senderText(mail);
  const { text, shortened } = await recordText(mail);
  return adfDoc([
    notePara(`${sender ? `From ${sender}, received` : 'Received'} ${mail.receivedAt.toISOString()}`),
    ...textParagraphs(text),
    shortened ? notePara('The text was shortened; the whole mail is attached as .eml.') : undefined,
  ]);
}

async function commentOf(mail: MailSource) {
  const sender = senderText(mail);
  const { text, shortened } = await recordText(mail);
  return adfDoc([
    notePara(
      `Mail "${oneLine(mail.subject, 200, '(no subject)')}"${sender ? ` from ${sender}` : ''}, received ${mail.receivedAt.toISOString()}; the mail and its attachments are attached to this issue.`,
    ),
    ...textParagraphs(text),
    shortened ? notePara('The text was shortened; the whole mail is attached as .eml.') : undefined,
  ]);
}

async function getIssue(client: JiraClient, key: string, fields: string) {
  const response = await client.request({
    path: `/issue/${encodeURIComponent(key)}?fields=${fields}`,
    what: 'read issue',
    accept: [404],
  });
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  return readJson(JIRA, response, jiraIssueSchema, 'read issue');
}

async function findIssueByLabel(client: JiraClient, settings: JiraSettings, label: string) {
  const response = await client.request({
    method: 'POST',
    path: '/search/jql',
    json: {
      jql: `project = ${jqlString(settings.projectKey)} AND labels = ${jqlString(label)}`,
      maxResults: 1,
      fields: ['summary'],
    },
    what: 'look for an issue made earlier',
  });
  const found = await readJson(JIRA, response, jiraSearchSchema, 'search issues');
  return found.issues[0]?.key;
}

async function findCommentByMarker(client: JiraClient, key: string, marker: string) {
  for (let startAt = 0; ; ) {
    const response = await client.request({
      path: `/issue/${encodeURIComponent(key)}/comment?expand=properties&startAt=${startAt}&maxResults=100`,
      what: 'look for a comment made earlier',
    });
    const page = await readJson(JIRA, response, jiraCommentsSchema, 'read comments');
    const mine = page.comments.find((comment) =>
      comment.properties?.some(
        (property) =>
          property.key === MARKER_PROPERTY && (property.value as { marker?: unknown })?.marker === marker,
      ),
    );
    if (mine) return mine.id;
    startAt += page.comments.length;
    if (page.comments.length === 0 || startAt >= page.total) return undefined;
  }
}

async function createIssue(client: JiraClient, settings: JiraSettings, mail: MailSource, marker: string) {
  const fields: Record<string, unknown> = {
    project: { key: settings.projectKey },
    issuetype: { name: settings.issueType },
    summary: oneLine(mail.subject, 255, '(no subject)'),
    description: await descriptionOf(mail),
    labels: [marker],
  };
  for (const mapping of settings.fieldMapping) {
    const value =
      mapping.source === 'date' ? jiraDateTime(mail.receivedAt) : await mailFieldValue(mail, mapping.source);
    // A single-line Jira text field takes at most 255 characters.
    if (value !== '') fields[mapping.field] = mapping.source === 'body' ? value.slice(0, 255) : value;
  }
  const response = await client.request({
    method: 'POST',
    path: '/issue',
    json: { fields },
    what: 'create issue',
  });
  return (await readJson(JIRA, response, jiraCreatedSchema, 'create issue')).key;
}

async function addComment(client: JiraClient, key: string, mail: MailSource, marker: string) {
  const response = await client.request({
    method: 'POST',
    path: `/issue/${encodeURIComponent(key)}/comment`,
    json: { body: await commentOf(mail), properties: [{ key: MARKER_PROPERTY, value: { marker } }] },
    what: 'add comment',
  });
  return (await readJson(JIRA, response, jiraCreatedSchema.pick({ id: true }), 'add comment')).id;
}

export const jiraConnector: Connector<JiraSettings> = {
  type: 'jira',
  names: { en: 'Jira', de: 'Jira' },
  picker: null,
  credentialKind: 'user',
  credentialFields: [
    {
      key: 'email',
      kind: 'text',
      required: true,
      label: { en: 'Atlassian account e-mail', de: 'E-Mail-Adresse des Atlassian-Kontos' },
    },
    {
      key: 'apiToken',
      kind: 'secret',
      required: true,
      label: { en: 'API token', de: 'API-Token' },
      help: {
        en: 'Create one under Atlassian account → Security → API tokens.',
        de: 'Anzulegen unter Atlassian-Konto → Sicherheit → API-Token.',
      },
    },
  ],
  capabilities: ['create_record', 'link_existing', 'search_records', 'field_mapping'],
  settingsSchema: jiraSettingsSchema,

  describeSettings() {
    return [
      {
        key: 'siteUrl',
        // `url`: checked by the SSRF guard when the target is saved, not only when it is used.
        kind: 'url',
        required: true,
        label: { en: 'Jira site', de: 'Jira-Site' },
        help: { en: 'e.g. https://example.atlassian.net', de: 'z. B. https://example.atlassian.net' },
      },
      {
        key: 'projectKey',
        kind: 'text',
        required: true,
        label: { en: 'Project key', de: 'Projektschlüssel' },
      },
      {
        key: 'issueType',
        kind: 'text',
        required: false,
        label: { en: 'Issue type', de: 'Vorgangstyp' },
        help: { en: 'Task unless set', de: 'Aufgabe (Task), wenn leer' },
      },
      {
        key: 'issueKey',
        kind: 'text',
        required: false,
        label: { en: 'Always add to issue', de: 'Immer zu Vorgang hinzufügen' },
        help: {
          en: 'Empty: each mail creates an issue (or goes to the issue the user picks).',
          de: 'Leer: jede E-Mail legt einen Vorgang an (oder geht zu dem, den der Benutzer wählt).',
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
          en: 'Custom field ids such as customfield_10040. Summary and description always take the subject and the text.',
          de: 'IDs benutzerdefinierter Felder wie customfield_10040. Zusammenfassung und Beschreibung erhalten immer Betreff und Text.',
        },
        sources: MAIL_FIELD_SOURCE_OPTIONS,
      },
    ];
  },

  validateSettings(input) {
    return validateWith(jiraSettingsSchema, input);
  },

  async testConnection(context, settings) {
    if (!context.credential) {
      // An administrator tests the site; each user's own account is tested when they connect it.
      const response = await jiraAnonymous(context, settings);
      return response
        ? { ok: true, message: 'The Jira site answers; each user connects their own account.' }
        : { ok: false, message: 'This address is not a Jira Cloud site.' };
    }
    try {
      const client = jiraClient(context, settings, now);
      const me = await readJson(
        JIRA,
        await client.request({ path: '/myself', what: 'who am I' }),
        jiraMyselfSchema,
        'myself',
      );
      const projectResponse = await client.request({
        path: `/project/${encodeURIComponent(settings.projectKey)}`,
        what: 'read project',
        accept: [404],
      });
      if (projectResponse.status === 404) {
        await projectResponse.body?.cancel();
        return {
          ok: false,
          message: `Project ${settings.projectKey} was not found, or the account may not see it.`,
        };
      }
      const project = await readJson(JIRA, projectResponse, jiraProjectSchema, 'read project');
      if (!project.issueTypes.some((type) => type.name === settings.issueType))
        return { ok: false, message: `Project ${project.key} has no issue type "${settings.issueType}".` };
      return {
        ok: true,
        message: `Signed in as ${me.displayName ?? me.accountId}; project ${project.name} is ready.`,
      };
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return { ok: false, message: error.message };
      throw error;
    }
  },

  async transferMail(context, settings, mail, progress, choices) {
    const client = jiraClient(context, settings, now);
    const linkTo = (choices?.linkTo ?? settings.issueKey).toUpperCase();
    let key: string;
    if (linkTo) {
      if (!JIRA_ISSUE_KEY.test(linkTo))
        throw new AppError(400, 'invalid_settings', `linkTo: "${linkTo}" is not a Jira issue key.`);
      const issue = await getIssue(client, linkTo, 'summary');
      if (!issue) throw new AppError(404, 'target_record_not_found', `Jira issue ${linkTo} was not found.`);
      key = issue.key;
      await createOnce(progress, {
        find: (marker) => findCommentByMarker(client, key, marker),
        create: (marker) => addComment(client, key, mail, marker),
      });
    } else {
      key = (
        await createOnce(progress, {
          find: (marker) => findIssueByLabel(client, settings, marker),
          create: (marker) => createIssue(client, settings, mail, marker),
        })
      ).id;
    }
    const files = await writeParts(mail, progress, {
      async landed(name, size) {
        const issue = await getIssue(client, key, 'attachment');
        return (issue?.fields.attachment ?? []).some((file) => file.filename === name && file.size === size);
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
          path: `/issue/${encodeURIComponent(key)}/attachments`,
          // Jira refuses multipart posts without it (its XSRF protection).
          headers: { 'x-atlassian-token': 'no-check', 'content-type': form.contentType },
          body: form.body,
          what: 'upload attachment',
          timeoutMs: UPLOAD_TIMEOUT_MS,
        });
        await readJson(JIRA, response, jiraAttachmentSchema.array().min(1), 'upload attachment');
      },
    });
    return { url: client.browse(key), files };
  },

  recordIdProblem(id) {
    return JIRA_ISSUE_KEY.test(id.toUpperCase()) ? null : 'is not a Jira issue key like MAIL-12';
  },

  async findExistingRecords(context, settings, query) {
    const client = jiraClient(context, settings, now);
    const text = query.text.trim();
    const records: ExistingRecord[] = [];
    const asKey = text.toUpperCase();
    if (JIRA_ISSUE_KEY.test(asKey)) {
      const issue = await getIssue(client, asKey, 'summary');
      if (issue)
        records.push({
          id: issue.key,
          title: `${issue.key} ${issue.fields.summary ?? ''}`.trim(),
          url: client.browse(issue.key),
        });
      return records;
    }
    const words = jqlWords(text);
    const jql = `project = ${jqlString(settings.projectKey)}${words ? ` AND text ~ ${jqlString(`${words}*`)}` : ''} ORDER BY updated DESC`;
    const response = await client.request({
      method: 'POST',
      path: '/search/jql',
      json: { jql, maxResults: 20, fields: ['summary'] },
      what: 'search issues',
    });
    const found = await readJson(JIRA, response, jiraSearchSchema, 'search issues');
    for (const issue of found.issues) {
      records.push({
        id: issue.key,
        title: `${issue.key} ${issue.fields.summary ?? ''}`.trim(),
        url: client.browse(issue.key),
      });
    }
    return records;
  },
};

/** Whether the site answers as Jira does without signing in (serverInfo is public on Jira Cloud). */
async function jiraAnonymous(context: ConnectorContext, settings: JiraSettings): Promise<boolean> {
  try {
    const response = await targetRequest(context, JIRA, {
      url: `${settings.siteUrl}/rest/api/3/serverInfo`,
      what: 'server info',
      accept: [401, 403, 404],
    });
    const body = (await response.json().catch(() => undefined)) as { deploymentType?: unknown } | undefined;
    return response.ok && typeof body?.deploymentType === 'string';
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
}
