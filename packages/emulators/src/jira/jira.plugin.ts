import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RestFaults, serveRestFaults } from '../rest-faults.js';
import {
  type JiraAccount,
  type JiraAttachment,
  type JiraComment,
  type JiraIssue,
  type JiraProject,
  JiraStore,
} from './jira-store.js';
import { compareBy, JqlError, matchesJql, parseJql } from './jql.js';

/** Where the stand-in's site lives under the server; the product's `siteUrl` ends here. */
export const JIRA_EMULATOR_PREFIX = '/emulator/jira';

export interface JiraEmulatorOptions {
  /** Where the server is reached, e.g. http://127.0.0.1:4000; `self` links start here. */
  publicBaseUrl: string;
  now?: () => Date;
  /** Jira Cloud's default limit per attachment is 10 MB unless the site raised it. */
  maxAttachmentBytes?: number;
}

export interface JiraEmulator {
  store: JiraStore;
  faults: RestFaults;
  /** The site URL a Jira target's settings name. */
  siteUrl: string;
  plugin: (app: FastifyInstance) => Promise<void>;
}

/** Description and comment text are capped at 32,767 characters, as Jira's text fields are. */
const MAX_TEXT_LENGTH = 32_767;
const SEARCH_KEYS = new Set([
  'jql',
  'maxResults',
  'fields',
  'nextPageToken',
  'expand',
  'properties',
  'fieldsByKeys',
  'reconcileIssues',
]);
const ADF_NODES = new Set([
  'paragraph',
  'text',
  'hardBreak',
  'heading',
  'rule',
  'bulletList',
  'orderedList',
  'listItem',
  'blockquote',
  'codeBlock',
  'panel',
  'mention',
  'emoji',
  'inlineCard',
]);

class JiraHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
  }
}

/** Counts an ADF document's characters, or names what is wrong with it. */
function adfProblem(value: unknown): { problem: string } | { length: number } {
  if (!value || typeof value !== 'object')
    return { problem: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' };
  const doc = value as { type?: unknown; version?: unknown; content?: unknown };
  if (doc.type !== 'doc' || doc.version !== 1 || !Array.isArray(doc.content))
    return { problem: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' };
  let length = 0;
  const walk = (node: unknown): string | undefined => {
    if (!node || typeof node !== 'object') return 'INVALID_INPUT';
    const record = node as { type?: unknown; text?: unknown; content?: unknown };
    if (typeof record.type !== 'string' || !ADF_NODES.has(record.type)) return 'INVALID_INPUT';
    if (record.type === 'text') {
      // Jira refuses empty text nodes.
      if (typeof record.text !== 'string' || record.text.length === 0) return 'INVALID_INPUT';
      length += record.text.length;
    }
    if (record.content !== undefined) {
      if (!Array.isArray(record.content)) return 'INVALID_INPUT';
      for (const child of record.content) {
        const problem = walk(child);
        if (problem) return problem;
      }
    }
    return undefined;
  };
  for (const node of doc.content) {
    const problem = walk(node);
    if (problem) return { problem };
  }
  return { length };
}

export function createJiraEmulator(options: JiraEmulatorOptions): JiraEmulator {
  const store = new JiraStore();
  const faults = new RestFaults();
  const now = options.now ?? (() => new Date());
  const maxAttachmentBytes = options.maxAttachmentBytes ?? 10 * 1024 * 1024;
  const siteUrl = `${options.publicBaseUrl}${JIRA_EMULATOR_PREFIX}`;
  const api = `${siteUrl}/rest/api/3`;

  const user = (account: JiraAccount) => ({
    self: `${api}/user?accountId=${encodeURIComponent(account.accountId)}`,
    accountId: account.accountId,
    accountType: 'atlassian',
    emailAddress: account.emailAddress,
    displayName: account.displayName,
    active: true,
    timeZone: 'Europe/Berlin',
  });
  const accountById = (id: string) => store.accounts.find((account) => account.accountId === id);
  const attachmentJson = (attachment: JiraAttachment) => {
    const author = accountById(attachment.authorId);
    return {
      self: `${api}/attachment/${attachment.id}`,
      id: attachment.id,
      filename: attachment.filename,
      ...(author ? { author: user(author) } : {}),
      created: attachment.created,
      size: attachment.size,
      mimeType: attachment.mimeType,
      content: `${api}/attachment/content/${attachment.id}`,
    };
  };
  const commentJson = (issue: JiraIssue, comment: JiraComment, withProperties: boolean) => {
    const author = accountById(comment.authorId);
    return {
      self: `${api}/issue/${issue.id}/comment/${comment.id}`,
      id: comment.id,
      ...(author ? { author: user(author), updateAuthor: user(author) } : {}),
      body: comment.body,
      created: comment.created,
      updated: comment.created,
      jsdPublic: true,
      ...(withProperties ? { properties: comment.properties } : {}),
    };
  };
  const issueJson = (issue: JiraIssue, fields: string[] | undefined) => {
    const project = store.project(issue.projectKey) as JiraProject;
    const issueType = project.issueTypes.find((type) => type.id === issue.issueTypeId);
    const reporter = accountById(issue.reporterId);
    const all: Record<string, unknown> = {
      summary: issue.summary,
      description: issue.description,
      labels: issue.labels,
      issuetype: issueType ? { id: issueType.id, name: issueType.name, subtask: false } : null,
      project: { id: project.id, key: project.key, name: project.name, self: `${api}/project/${project.id}` },
      created: issue.created,
      updated: issue.updated,
      reporter: reporter ? user(reporter) : null,
      attachment: issue.attachments.map(attachmentJson),
      comment: {
        comments: issue.comments.map((comment) => commentJson(issue, comment, false)),
        maxResults: issue.comments.length,
        total: issue.comments.length,
        startAt: 0,
      },
      ...issue.custom,
    };
    const wanted =
      !fields || fields.length === 0 || fields.includes('*all') || fields.includes('*navigable')
        ? Object.keys(all)
        : fields;
    return {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id,
      self: `${api}/issue/${issue.id}`,
      key: issue.key,
      fields: Object.fromEntries(wanted.filter((key) => key in all).map((key) => [key, all[key]])),
    };
  };

  function authenticate(request: FastifyRequest): JiraAccount {
    const header = request.headers.authorization ?? '';
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    if (match?.[1]) {
      const decoded = Buffer.from(match[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const account =
        colon > 0 ? store.accountByBasic(decoded.slice(0, colon), decoded.slice(colon + 1)) : undefined;
      if (account) return account;
    }
    throw new JiraHttpError(401, ['Client must be authenticated to access this resource.']);
  }

  /** Jira hides projects a user may not see behind the same words as missing ones. */
  function visibleProject(account: JiraAccount, keyOrId: string): JiraProject | undefined {
    const project = store.project(keyOrId);
    return project?.members.includes(account.accountId) ? project : undefined;
  }

  function visibleIssue(account: JiraAccount, keyOrId: string): JiraIssue {
    const issue = store.issue(keyOrId);
    if (!issue || !visibleProject(account, issue.projectKey))
      throw new JiraHttpError(404, ['Issue does not exist or you do not have permission to see it.']);
    return issue;
  }

  function fieldsParam(value: unknown): string[] | undefined {
    if (Array.isArray(value)) return value.filter((entry): entry is string => typeof entry === 'string');
    if (typeof value === 'string')
      return value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
    return undefined;
  }

  function createIssue(account: JiraAccount, body: unknown): JiraIssue {
    const fields = (body as { fields?: unknown } | null)?.fields;
    if (!fields || typeof fields !== 'object') throw new JiraHttpError(400, ['Fields are required.']);
    const input = fields as Record<string, unknown>;
    const errors: Record<string, string> = {};
    const projectRef = input.project as { key?: unknown; id?: unknown } | undefined;
    const projectKey =
      typeof projectRef?.key === 'string'
        ? projectRef.key
        : typeof projectRef?.id === 'string'
          ? projectRef.id
          : '';
    const project = projectKey ? visibleProject(account, projectKey) : undefined;
    if (!project) errors.project = 'Specify a valid project ID or key';
    const typeRef = input.issuetype as { name?: unknown; id?: unknown } | undefined;
    const issueType = project?.issueTypes.find(
      (type) => type.id === typeRef?.id || type.name === typeRef?.name,
    );
    if (project && !issueType) errors.issuetype = 'Specify a valid issue type';
    const summary = input.summary;
    if (typeof summary !== 'string' || summary.trim() === '')
      errors.summary = 'You must specify a summary of the issue.';
    else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    else if (/[\r\n]/.test(summary)) errors.summary = 'Field can not contain newline characters.';
    let description: unknown = null;
    if (input.description !== undefined && input.description !== null) {
      const checked = adfProblem(input.description);
      if ('problem' in checked) errors.description = checked.problem;
      else if (checked.length > MAX_TEXT_LENGTH)
        errors.description =
          'The entered text is too long. It exceeds the allowed limit of 32,767 characters.';
      else description = input.description;
    }
    let labels: string[] = [];
    if (input.labels !== undefined) {
      if (
        !Array.isArray(input.labels) ||
        input.labels.some((label) => typeof label !== 'string' || /\s/.test(label) || label.length > 255)
      )
        errors.labels = 'The label can not contain spaces.';
      else labels = input.labels as string[];
    }
    const custom: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      if (['project', 'issuetype', 'summary', 'description', 'labels'].includes(key)) continue;
      const field = project?.customFields.find((candidate) => candidate.id === key);
      if (!field) {
        errors[key] = `Field '${key}' cannot be set. It is not on the appropriate screen, or unknown.`;
        continue;
      }
      if (field.type === 'string' && (typeof value !== 'string' || value.length > 255))
        errors[key] = 'Operation value must be a string';
      else if (field.type === 'datetime' && (typeof value !== 'string' || Number.isNaN(Date.parse(value))))
        errors[key] =
          `Invalid date format. Please enter the date in the format "yyyy-MM-dd'T'HH:mm:ss.SSSZ".`;
      else custom[key] = value;
    }
    if (Object.keys(errors).length > 0 || !project || !issueType) throw new JiraHttpError(400, [], errors);
    const at = now().toISOString();
    const issue: JiraIssue = {
      id: store.newId(),
      key: store.nextKey(project.key),
      projectKey: project.key,
      issueTypeId: issueType.id,
      summary: summary as string,
      description,
      labels,
      custom,
      created: at,
      updated: at,
      reporterId: account.accountId,
      attachments: [],
      comments: [],
    };
    store.issues.push(issue);
    return issue;
  }

  async function plugin(app: FastifyInstance): Promise<void> {
    await app.register(fastifyMultipart, { limits: { fileSize: maxAttachmentBytes, files: 60 } });
    serveRestFaults(app, faults, JIRA_EMULATOR_PREFIX, (fault, reply) => {
      return reply
        .status(fault.status)
        .send({ errorMessages: [`Injected fault: status ${fault.status}.`], errors: {} });
    });
    app.setErrorHandler((error, _request, reply) => {
      if (error instanceof JiraHttpError)
        return reply.status(error.status).send({ errorMessages: error.errorMessages, errors: error.errors });
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 413 || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
        return reply.status(413).send({
          errorMessages: [`The file is larger than the ${maxAttachmentBytes} bytes attachments may have.`],
          errors: {},
        });
      if (status && status >= 400 && status < 500)
        return reply.status(status).send({
          errorMessages: ['Invalid request payload. Refer to the REST API documentation and try again.'],
          errors: {},
        });
      return reply.status(500).send({ errorMessages: ['Internal server error.'], errors: {} });
    });

    const hide = { schema: { hide: true } };
    const base = `${JIRA_EMULATOR_PREFIX}/rest/api/3`;

    app.get(`${base}/serverInfo`, hide, async () => ({
      baseUrl: siteUrl,
      version: '1001.0.0-SNAPSHOT',
      deploymentType: 'Cloud',
      serverTitle: 'Jira (Mailissa stand-in)',
    }));

    app.get(`${base}/myself`, hide, async (request) => user(authenticate(request)));

    app.get<{ Params: { key: string } }>(`${base}/project/:key`, hide, async (request) => {
      const account = authenticate(request);
      const project = visibleProject(account, request.params.key);
      if (!project)
        throw new JiraHttpError(404, [`No project could be found with key '${request.params.key}'.`]);
      return {
        self: `${api}/project/${project.id}`,
        id: project.id,
        key: project.key,
        name: project.name,
        issueTypes: project.issueTypes.map((type) => ({
          ...type,
          self: `${api}/issuetype/${type.id}`,
          subtask: false,
        })),
      };
    });

    app.get(`${base}/field`, hide, async (request) => {
      const account = authenticate(request);
      const system = [
        { id: 'summary', name: 'Summary', custom: false, schema: { type: 'string', system: 'summary' } },
        {
          id: 'description',
          name: 'Description',
          custom: false,
          schema: { type: 'string', system: 'description' },
        },
        {
          id: 'labels',
          name: 'Labels',
          custom: false,
          schema: { type: 'array', items: 'string', system: 'labels' },
        },
      ];
      const custom = store.projects
        .filter((project) => project.members.includes(account.accountId))
        .flatMap((project) => project.customFields)
        .map((field) => ({
          id: field.id,
          key: field.id,
          name: field.name,
          custom: true,
          schema: {
            type: field.type,
            custom: `com.atlassian.jira.plugin.system.customfieldtypes:${field.type === 'string' ? 'textfield' : 'datetime'}`,
          },
        }));
      return [...system, ...custom];
    });

    app.post(`${base}/issue`, hide, async (request, reply) => {
      const issue = createIssue(authenticate(request), request.body);
      return reply.status(201).send({ id: issue.id, key: issue.key, self: `${api}/issue/${issue.id}` });
    });

    app.get<{ Params: { key: string }; Querystring: { fields?: string } }>(
      `${base}/issue/:key`,
      hide,
      async (request) => {
        const issue = visibleIssue(authenticate(request), request.params.key);
        return issueJson(issue, fieldsParam(request.query.fields));
      },
    );

    app.post<{ Params: { key: string } }>(`${base}/issue/:key/attachments`, hide, async (request, reply) => {
      const account = authenticate(request);
      if (String(request.headers['x-atlassian-token'] ?? '').toLowerCase() !== 'no-check')
        return reply.status(403).type('text/plain').send('XSRF check failed');
      const issue = visibleIssue(account, request.params.key);
      if (!request.isMultipart())
        throw new JiraHttpError(415, [
          'The request must be multipart/form-data with the files in the field "file".',
        ]);
      const added: JiraAttachment[] = [];
      for await (const part of request.parts()) {
        if (part.type !== 'file') continue;
        if (part.fieldname !== 'file') {
          await part.toBuffer().catch(() => undefined);
          continue;
        }
        const bytes = await part.toBuffer();
        added.push({
          id: store.newId(),
          filename: part.filename,
          mimeType: part.mimetype || 'application/octet-stream',
          size: bytes.byteLength,
          bytes,
          created: now().toISOString(),
          authorId: account.accountId,
        });
      }
      if (added.length === 0) throw new JiraHttpError(400, ['No file was sent in the field "file".']);
      issue.attachments.push(...added);
      issue.updated = now().toISOString();
      return added.map(attachmentJson);
    });

    app.get<{ Params: { id: string } }>(`${base}/attachment/content/:id`, hide, async (request, reply) => {
      const account = authenticate(request);
      const found = store.attachment(request.params.id);
      if (!found || !visibleProject(account, found.issue.projectKey))
        throw new JiraHttpError(404, ['The attachment with id does not exist.']);
      return reply
        .type(found.attachment.mimeType)
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(found.attachment.filename)}`,
        )
        .send(found.attachment.bytes);
    });

    app.post<{ Params: { key: string } }>(`${base}/issue/:key/comment`, hide, async (request, reply) => {
      const account = authenticate(request);
      const issue = visibleIssue(account, request.params.key);
      const body = request.body as { body?: unknown; properties?: unknown } | null;
      const checked = adfProblem(body?.body);
      if ('problem' in checked) throw new JiraHttpError(400, [], { comment: checked.problem });
      if (checked.length === 0)
        throw new JiraHttpError(400, [], { comment: 'Comment body can not be empty!' });
      if (checked.length > MAX_TEXT_LENGTH)
        throw new JiraHttpError(400, [], {
          comment: 'The entered text is too long. It exceeds the allowed limit of 32,767 characters.',
        });
      const properties = Array.isArray(body?.properties) ? body.properties : [];
      if (properties.some((property) => !property || typeof (property as { key?: unknown }).key !== 'string'))
        throw new JiraHttpError(400, ['Each property needs a key.']);
      const comment: JiraComment = {
        id: store.newId(),
        body: body?.body,
        created: now().toISOString(),
        authorId: account.accountId,
        properties: properties as JiraComment['properties'],
      };
      issue.comments.push(comment);
      issue.updated = comment.created;
      return reply.status(201).send(commentJson(issue, comment, false));
    });

    app.get<{
      Params: { key: string };
      Querystring: { expand?: string; startAt?: string; maxResults?: string };
    }>(`${base}/issue/:key/comment`, hide, async (request) => {
      const issue = visibleIssue(authenticate(request), request.params.key);
      const withProperties = (request.query.expand ?? '').split(',').includes('properties');
      const startAt = Math.max(0, Number(request.query.startAt ?? 0) || 0);
      const maxResults = Math.min(5000, Math.max(1, Number(request.query.maxResults ?? 100) || 100));
      const page = issue.comments.slice(startAt, startAt + maxResults);
      return {
        startAt,
        maxResults,
        total: issue.comments.length,
        comments: page.map((comment) => commentJson(issue, comment, withProperties)),
      };
    });

    app.post(`${base}/search/jql`, hide, async (request) => {
      const account = authenticate(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (typeof body !== 'object' || Object.keys(body).some((key) => !SEARCH_KEYS.has(key)))
        throw new JiraHttpError(400, [
          'Invalid request payload. Refer to the REST API documentation and try again.',
        ]);
      const jql = typeof body.jql === 'string' ? body.jql : '';
      let query: ReturnType<typeof parseJql>;
      try {
        query = parseJql(jql);
      } catch (error) {
        if (error instanceof JqlError) throw new JiraHttpError(400, [error.message]);
        throw error;
      }
      if (query.clauses.length === 0)
        throw new JiraHttpError(400, [
          'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
        ]);
      const maxResults = Math.min(5000, Math.max(1, Number(body.maxResults ?? 50) || 50));
      const offset =
        typeof body.nextPageToken === 'string'
          ? Number.parseInt(Buffer.from(body.nextPageToken, 'base64url').toString(), 10) || 0
          : 0;
      const found = store.issues
        .filter((issue) => visibleProject(account, issue.projectKey) && matchesJql(issue, query))
        .sort(compareBy(query.order));
      const page = found.slice(offset, offset + maxResults);
      const isLast = offset + maxResults >= found.length;
      return {
        issues: page.map((issue) => issueJson(issue, fieldsParam(body.fields) ?? ['id'])),
        isLast,
        ...(isLast ? {} : { nextPageToken: Buffer.from(String(offset + maxResults)).toString('base64url') }),
      };
    });
  }

  return { store, faults, siteUrl, plugin };
}
