import { randomBytes } from 'node:crypto';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { jwtVerify, SignJWT } from 'jose';
import { RestFaults, serveRestFaults } from '../rest-faults.js';
import { type DominoDocument, type DominoScope, DominoStore, type DominoUser } from './domino-store.js';

export const DOMINO_EMULATOR_PREFIX = '/emulator/domino';

export interface DominoEmulatorOptions {
  publicBaseUrl: string;
  now?: () => Date;
  maxAttachmentBytes?: number;
  /** DRAPI issues tokens for 120 minutes by default. */
  tokenSeconds?: number;
}

export interface DominoEmulator {
  store: DominoStore;
  faults: RestFaults;
  /** The server URL a Domino target's settings name (DRAPI's base, without /api/v1). */
  baseUrl: string;
  plugin: (app: FastifyInstance) => Promise<void>;
}

/** DRAPI's error body. */
class DominoHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface DqlClause {
  item: string;
  op: '=' | 'contains';
  values: string[];
}

/** DQL's simplest terms: `Item = 'value'` and `Item contains ('word', …)` joined by `and`. */
function parseDql(query: string): DqlClause[] {
  const clauses: DqlClause[] = [];
  const pattern =
    /\s*([A-Za-z$][\w$]*)\s*(=|contains)\s*(\(\s*'(?:[^']|'')*'(?:\s*,\s*'(?:[^']|'')*')*\s*\)|'(?:[^']|'')*')\s*(?:and\b|$)/iy;
  let match: RegExpExecArray | null = pattern.exec(query);
  while (match) {
    const values = [...(match[3] ?? '').matchAll(/'((?:[^']|'')*)'/g)].map((m) =>
      (m[1] ?? '').replace(/''/g, "'"),
    );
    clauses.push({ item: match[1] ?? '', op: (match[2] ?? '').toLowerCase() as DqlClause['op'], values });
    if (pattern.lastIndex >= query.length) return clauses;
    match = pattern.exec(query);
  }
  throw new DominoHttpError(
    400,
    `DQL syntax error near position ${pattern.lastIndex}: ${query.slice(pattern.lastIndex, pattern.lastIndex + 20)}`,
  );
}

/** An item's text: rich text as its content, lists joined, the form by its name. */
function itemValue(doc: DominoDocument, name: string): string {
  if (name.toLowerCase() === 'form') return doc.form;
  const raw = Object.entries(doc.items).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  if (raw && typeof raw === 'object' && !Array.isArray(raw))
    return itemText((raw as { content?: unknown }).content);
  return itemText(raw);
}

function itemText(value: unknown): string {
  return Array.isArray(value)
    ? value.map(String).join(' ')
    : value === undefined || value === null
      ? ''
      : String(value);
}

export function createDominoEmulator(options: DominoEmulatorOptions): DominoEmulator {
  const store = new DominoStore();
  const faults = new RestFaults();
  const now = options.now ?? (() => new Date());
  const maxAttachmentBytes = options.maxAttachmentBytes ?? 50 * 1024 * 1024;
  const tokenSeconds = options.tokenSeconds ?? 120 * 60;
  const baseUrl = `${options.publicBaseUrl}${DOMINO_EMULATOR_PREFIX}`;
  const secret = randomBytes(32);

  async function authenticate(request: FastifyRequest): Promise<DominoUser> {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token) throw new DominoHttpError(401, 'Authorization header missing or not a bearer token');
    try {
      const { payload } = await jwtVerify(token, secret, {
        issuer: 'Domino REST API',
        audience: 'Domino',
        currentDate: now(),
      });
      const user = store.users.find((candidate) => candidate.name === payload.sub);
      if (!user) throw new DominoHttpError(401, 'Unknown user');
      return user;
    } catch (error) {
      if (error instanceof DominoHttpError) throw error;
      throw new DominoHttpError(401, 'JWT invalid or expired');
    }
  }

  function scopeOf(request: FastifyRequest, user: DominoUser): DominoScope {
    const name = (request.query as Record<string, unknown>).dataSource;
    if (typeof name !== 'string' || name === '') throw new DominoHttpError(400, 'dataSource is required');
    const scope = store.scopes.find((candidate) => candidate.name === name);
    if (!scope) throw new DominoHttpError(404, `No scope named '${name}'`);
    if (!scope.authors.includes(user.name))
      throw new DominoHttpError(403, `Access to scope '${name}' denied`);
    return scope;
  }

  const documentJson = (scope: DominoScope, doc: DominoDocument) => ({
    '@meta': {
      noteid: doc.noteid,
      unid: doc.unid,
      created: doc.created,
      lastmodified: doc.lastmodified,
      lastaccessed: doc.lastmodified,
      size: doc.attachments.reduce((sum, file) => sum + file.bytes.byteLength, 512),
      unread: false,
      editable: true,
      revision: doc.lastmodified,
      etag: `${doc.unid}-${doc.lastmodified}`,
      ...(doc.parentUnid ? { parentUnid: doc.parentUnid } : {}),
      dataSource: scope.name,
    },
    Form: doc.form,
    ...doc.items,
    ...(doc.attachments.length > 0 ? { $FILES: doc.attachments.map((file) => file.name) } : {}),
  });

  function visibleDocument(scope: DominoScope, unid: string): DominoDocument {
    if (!/^[0-9A-Fa-f]{32}$/.test(unid)) throw new DominoHttpError(400, 'Invalid UNID');
    const doc = store.document(scope.name, unid);
    if (!doc) throw new DominoHttpError(404, `Document ${unid} not found`);
    return doc;
  }

  async function plugin(app: FastifyInstance): Promise<void> {
    await app.register(fastifyMultipart, { limits: { fileSize: maxAttachmentBytes, files: 20 } });
    serveRestFaults(app, faults, DOMINO_EMULATOR_PREFIX, (fault, reply) => {
      return reply
        .status(fault.status)
        .send({ status: fault.status, message: `Injected fault: status ${fault.status}.`, errorId: 0 });
    });
    app.setErrorHandler((error, _request, reply) => {
      if (error instanceof DominoHttpError)
        return reply.status(error.status).send({ status: error.status, message: error.message, errorId: 0 });
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 413 || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
        return reply.status(413).send({ status: 413, message: 'Attachment too large', errorId: 0 });
      const code = status && status >= 400 && status < 500 ? status : 500;
      return reply.status(code).send({
        status: code,
        message: code === 500 ? 'Internal server error' : 'Invalid request',
        errorId: 0,
      });
    });

    const hide = { schema: { hide: true } };
    const api = `${DOMINO_EMULATOR_PREFIX}/api/v1`;

    app.post(`${api}/auth`, hide, async (request) => {
      const body = (request.body ?? {}) as { username?: unknown; password?: unknown };
      const user =
        typeof body.username === 'string' && typeof body.password === 'string'
          ? store.user(body.username, body.password)
          : undefined;
      if (!user) throw new DominoHttpError(401, 'Invalid credentials');
      const issued = Math.floor(now().getTime() / 1000);
      const bearer = await new SignJWT({ CN: user.username, scope: 'MAIL $DATA', email: '' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer('Domino REST API')
        .setAudience('Domino')
        .setSubject(user.name)
        .setIssuedAt(issued)
        .setExpirationTime(issued + tokenSeconds)
        .sign(secret);
      return {
        bearer,
        claims: { sub: user.name, iss: 'Domino REST API', aud: 'Domino' },
        leeway: 5,
        expSeconds: tokenSeconds,
        issueDate: new Date(issued * 1000).toISOString(),
      };
    });

    app.get(`${api}/userinfo`, hide, async (request) => {
      const user = await authenticate(request);
      return { sub: user.name, name: user.username };
    });

    app.get(`${api}/scope`, hide, async (request) => {
      const user = await authenticate(request);
      const scope = scopeOf(request, user);
      return {
        apiName: scope.name,
        nsfPath: scope.nsfPath,
        forms: scope.forms.map((form) => ({
          formName: form.name,
          formModes: [{ modeName: 'default', fields: form.items }],
        })),
      };
    });

    app.post<{ Querystring: { parentUnid?: string } }>(`${api}/document`, hide, async (request, reply) => {
      const user = await authenticate(request);
      const scope = scopeOf(request, user);
      const body = request.body as Record<string, unknown> | null;
      if (!body || typeof body !== 'object') throw new DominoHttpError(400, 'A JSON document is required');
      const formName = typeof body.Form === 'string' ? body.Form : '';
      const form = scope.forms.find((candidate) => candidate.name.toLowerCase() === formName.toLowerCase());
      if (!form)
        throw new DominoHttpError(400, `Form '${formName}' is not configured for scope '${scope.name}'`);
      const items: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(body)) {
        if (key === 'Form' || key === '@meta') continue;
        const item = form.items.find((candidate) => candidate.toLowerCase() === key.toLowerCase());
        if (!item)
          throw new DominoHttpError(
            400,
            `Field '${key}' is not writable in form mode 'default' of form '${form.name}'`,
          );
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          // Rich text arrives as { type: 'text/plain' | 'text/html', content }.
          const rich = value as { type?: unknown; content?: unknown };
          if (typeof rich.content !== 'string')
            throw new DominoHttpError(400, `Field '${key}' has an unsupported value`);
        }
        items[item] = value;
      }
      const parentUnid = request.query.parentUnid;
      if (parentUnid) visibleDocument(scope, parentUnid);
      const at = now().toISOString();
      const doc: DominoDocument = {
        unid: randomBytes(16).toString('hex').toUpperCase(),
        noteid: store.nextNoteId(),
        scope: scope.name,
        form: form.name,
        items,
        parentUnid: parentUnid ? parentUnid.toUpperCase() : null,
        created: at,
        lastmodified: at,
        attachments: [],
      };
      store.documents.push(doc);
      return reply.status(200).send(documentJson(scope, doc));
    });

    app.get<{ Params: { unid: string } }>(`${api}/document/:unid`, hide, async (request) => {
      const user = await authenticate(request);
      const scope = scopeOf(request, user);
      return documentJson(scope, visibleDocument(scope, request.params.unid));
    });

    app.get<{ Params: { unid: string } }>(`${api}/attachmentnames/:unid`, hide, async (request) => {
      const user = await authenticate(request);
      const scope = scopeOf(request, user);
      const doc = visibleDocument(scope, request.params.unid);
      return doc.attachments.map((file) => file.name);
    });

    app.post<{ Params: { unid: string } }>(`${api}/attachments/:unid`, hide, async (request) => {
      const user = await authenticate(request);
      const scope = scopeOf(request, user);
      const doc = visibleDocument(scope, request.params.unid);
      if (!request.isMultipart()) throw new DominoHttpError(415, 'multipart/form-data expected');
      const added: string[] = [];
      for await (const part of request.parts()) {
        if (part.type !== 'file') continue;
        const bytes = await part.toBuffer();
        if (doc.attachments.some((file) => file.name === part.filename))
          throw new DominoHttpError(409, `An attachment named '${part.filename}' already exists`);
        doc.attachments.push({
          name: part.filename,
          bytes,
          mimeType: part.mimetype || 'application/octet-stream',
        });
        added.push(part.filename);
      }
      if (added.length === 0) throw new DominoHttpError(400, 'No file in the request');
      doc.lastmodified = now().toISOString();
      return { ...documentJson(scope, doc), attachments: added };
    });

    app.get<{ Params: { unid: string; name: string } }>(
      `${api}/attachments/:unid/:name`,
      hide,
      async (request, reply) => {
        const user = await authenticate(request);
        const scope = scopeOf(request, user);
        const doc = visibleDocument(scope, request.params.unid);
        const file = doc.attachments.find((candidate) => candidate.name === request.params.name);
        if (!file) throw new DominoHttpError(404, `Attachment ${request.params.name} not found`);
        return reply.type(file.mimeType).send(file.bytes);
      },
    );

    app.post<{ Querystring: { action?: string } }>(`${api}/query`, hide, async (request) => {
      const user = await authenticate(request);
      const scope = scopeOf(request, user);
      if ((request.query.action ?? 'execute') !== 'execute')
        throw new DominoHttpError(400, 'Only action=execute is supported here');
      const body = (request.body ?? {}) as { query?: unknown; count?: unknown; start?: unknown };
      if (typeof body.query !== 'string' || body.query.trim() === '')
        throw new DominoHttpError(400, 'query is required');
      const clauses = parseDql(body.query);
      const count = Math.min(1000, Math.max(1, Number(body.count ?? 100) || 100));
      return store.documents
        .filter((doc) => doc.scope === scope.name)
        .filter((doc) =>
          clauses.every((clause) => {
            const value = itemValue(doc, clause.item);
            return clause.op === '='
              ? clause.values.includes(value)
              : clause.values.some((word) =>
                  value.toLowerCase().includes(word.replace(/\*$/, '').toLowerCase()),
                );
          }),
        )
        .sort((a, b) => b.lastmodified.localeCompare(a.lastmodified))
        .slice(0, count)
        .map((doc) => documentJson(scope, doc));
    });
  }

  return { store, faults, baseUrl, plugin };
}
