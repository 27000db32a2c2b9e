import { randomInt } from 'node:crypto';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RestFaults, serveRestFaults } from '../rest-faults.js';
import {
  type TrelloAttachment,
  type TrelloCard,
  type TrelloComment,
  type TrelloCustomFieldItem,
  type TrelloList,
  type TrelloMember,
  TrelloStore,
  trelloId,
} from './trello-store.js';

export const TRELLO_EMULATOR_PREFIX = '/emulator/trello';

export interface TrelloEmulatorOptions {
  publicBaseUrl: string;
  now?: () => Date;
  /** Trello allows 10 MB per attachment on free workspaces (250 MB on paid ones). */
  maxAttachmentBytes?: number;
}

export interface TrelloEmulator {
  store: TrelloStore;
  faults: RestFaults;
  /** The API base a Trello target's settings name (…/1). */
  apiUrl: string;
  plugin: (app: FastifyInstance) => Promise<void>;
}

/** Trello's limit on a card's name and description. */
const MAX_TEXT = 16_384;
const ID = /^[0-9a-f]{24}$/;

/** Trello answers most errors in plain text, some (rate limits) in JSON. */
class TrelloHttpError extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
  ) {
    super(text);
  }
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'card'
  );
}

export function createTrelloEmulator(options: TrelloEmulatorOptions): TrelloEmulator {
  const store = new TrelloStore();
  const faults = new RestFaults();
  const now = options.now ?? (() => new Date());
  const maxAttachmentBytes = options.maxAttachmentBytes ?? 10 * 1024 * 1024;
  const site = `${options.publicBaseUrl}${TRELLO_EMULATOR_PREFIX}`;
  const apiUrl = `${site}/1`;

  const cardJson = (card: TrelloCard) => ({
    id: card.id,
    name: card.name,
    desc: card.desc,
    closed: card.closed,
    idBoard: card.idBoard,
    idList: card.idList,
    idShort: card.idShort,
    shortLink: card.shortLink,
    shortUrl: `${site}/c/${card.shortLink}`,
    url: `${site}/c/${card.shortLink}/${card.idShort}-${slug(card.name)}`,
    dateLastActivity: card.dateLastActivity,
    badges: { attachments: card.attachments.length, comments: card.comments.length },
  });
  const attachmentJson = (card: TrelloCard, attachment: TrelloAttachment) => ({
    id: attachment.id,
    bytes: attachment.bytes.byteLength,
    date: attachment.date,
    idMember: attachment.idMember,
    isUpload: true,
    mimeType: attachment.mimeType,
    name: attachment.name,
    fileName: attachment.fileName,
    previews: [],
    url: `${apiUrl}/cards/${card.id}/attachments/${attachment.id}/download/${encodeURIComponent(attachment.fileName)}`,
  });
  const commentJson = (card: TrelloCard, comment: TrelloComment) => ({
    id: comment.id,
    idMemberCreator: comment.idMember,
    type: 'commentCard',
    date: comment.date,
    data: { text: comment.text, card: { id: card.id, name: card.name, shortLink: card.shortLink } },
  });

  /** Key and token as query parameters, or Trello's `Authorization: OAuth oauth_consumer_key=…, oauth_token=…`. */
  function authenticate(request: FastifyRequest): TrelloMember {
    const query = request.query as Record<string, unknown>;
    let key = typeof query.key === 'string' ? query.key : '';
    let token = typeof query.token === 'string' ? query.token : '';
    const header = request.headers.authorization ?? '';
    if (/^OAuth\s/i.test(header)) {
      key = /oauth_consumer_key="([^"]*)"/.exec(header)?.[1] ?? key;
      token = /oauth_token="([^"]*)"/.exec(header)?.[1] ?? token;
    }
    if (!store.members.some((member) => member.apiKey === key)) throw new TrelloHttpError(401, 'invalid key');
    const member = store.member(key, token);
    if (!member) throw new TrelloHttpError(401, 'invalid token');
    return member;
  }

  function canSee(member: TrelloMember, idBoard: string): boolean {
    return store.boards.some((board) => board.id === idBoard && board.members.includes(member.id));
  }

  function visibleList(member: TrelloMember, id: string): TrelloList {
    if (!ID.test(id)) throw new TrelloHttpError(400, 'invalid id');
    const list = store.lists.find((candidate) => candidate.id === id);
    if (!list) throw new TrelloHttpError(404, 'The requested resource was not found.');
    if (!canSee(member, list.idBoard)) throw new TrelloHttpError(401, 'unauthorized permission requested');
    return list;
  }

  function visibleCard(member: TrelloMember, id: string): TrelloCard {
    if (!ID.test(id) && !/^[A-Za-z0-9]{8}$/.test(id)) throw new TrelloHttpError(400, 'invalid id');
    const card = store.card(id);
    if (!card) throw new TrelloHttpError(404, 'The requested resource was not found.');
    if (!canSee(member, card.idBoard))
      throw new TrelloHttpError(401, 'unauthorized card permission requested');
    return card;
  }

  /** Trello takes parameters from the query string or the body (JSON or form), the query first. */
  function param(request: FastifyRequest, name: string): string | undefined {
    const query = request.query as Record<string, unknown>;
    if (typeof query[name] === 'string') return query[name] as string;
    const body = request.body as Record<string, unknown> | undefined;
    if (body && typeof body === 'object' && typeof body[name] === 'string') return body[name] as string;
    return undefined;
  }

  async function plugin(app: FastifyInstance): Promise<void> {
    await app.register(fastifyMultipart, { limits: { fileSize: maxAttachmentBytes, files: 1 } });
    serveRestFaults(app, faults, TRELLO_EMULATOR_PREFIX, (fault, reply) => {
      if (fault.status === 429)
        return reply.status(429).send({
          error: 'API_TOKEN_LIMIT_EXCEEDED',
          message: 'Rate limit exceeded (injected fault).',
        });
      return reply.status(fault.status).type('text/plain').send(`Injected fault: status ${fault.status}.`);
    });
    app.setErrorHandler((error, _request, reply) => {
      if (error instanceof TrelloHttpError)
        return reply.status(error.status).type('text/plain').send(error.text);
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 413 || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
        return reply.status(413).type('text/plain').send('request entity too large');
      if (status && status >= 400 && status < 500)
        return reply.status(status).type('text/plain').send('invalid request');
      return reply.status(500).type('text/plain').send('Internal server error');
    });

    const hide = { schema: { hide: true } };
    const base = `${TRELLO_EMULATOR_PREFIX}/1`;

    app.get(`${base}/members/me`, hide, async (request) => {
      const member = authenticate(request);
      return {
        id: member.id,
        username: member.username,
        fullName: member.fullName,
        idBoards: store.boards.filter((board) => canSee(member, board.id)).map((board) => board.id),
      };
    });

    app.get<{ Params: { id: string } }>(`${base}/lists/:id`, hide, async (request) => {
      const list = visibleList(authenticate(request), request.params.id);
      return { id: list.id, name: list.name, closed: list.closed, idBoard: list.idBoard, pos: 16384 };
    });

    app.get<{ Params: { id: string } }>(`${base}/lists/:id/cards`, hide, async (request) => {
      const list = visibleList(authenticate(request), request.params.id);
      return store.cards.filter((card) => card.idList === list.id && !card.closed).map(cardJson);
    });

    app.post(`${base}/cards`, hide, async (request) => {
      const member = authenticate(request);
      const idList = param(request, 'idList');
      if (!idList) throw new TrelloHttpError(400, 'invalid value for idList');
      const list = visibleList(member, idList);
      const name = param(request, 'name') ?? '';
      const desc = param(request, 'desc') ?? '';
      if (name.length > MAX_TEXT) throw new TrelloHttpError(400, 'invalid value for name');
      if (desc.length > MAX_TEXT) throw new TrelloHttpError(400, 'invalid value for desc');
      const at = now();
      const id = trelloId(at);
      const card: TrelloCard = {
        id,
        shortLink: shortLinkOf(),
        idShort: store.cards.filter((candidate) => candidate.idBoard === list.idBoard).length + 1,
        name,
        desc,
        idList: list.id,
        idBoard: list.idBoard,
        closed: false,
        dateLastActivity: at.toISOString(),
        attachments: [],
        comments: [],
        customFieldItems: [],
      };
      store.cards.push(card);
      return cardJson(card);
    });

    app.get<{ Params: { id: string } }>(`${base}/cards/:id`, hide, async (request) =>
      cardJson(visibleCard(authenticate(request), request.params.id)),
    );

    app.get<{ Params: { id: string } }>(`${base}/boards/:id/customFields`, hide, async (request) => {
      const member = authenticate(request);
      const { id } = request.params;
      if (!ID.test(id)) throw new TrelloHttpError(400, 'invalid id');
      if (!store.boards.some((board) => board.id === id))
        throw new TrelloHttpError(404, 'The requested resource was not found.');
      if (!canSee(member, id)) throw new TrelloHttpError(401, 'unauthorized permission requested');
      return store.customFields
        .filter((field) => field.idModel === id)
        .map((field, index) => ({
          id: field.id,
          idModel: field.idModel,
          modelType: 'board',
          name: field.name,
          type: field.type,
          pos: 16384 * (index + 1),
          display: { cardFront: true },
        }));
    });

    app.get<{ Params: { id: string } }>(`${base}/cards/:id/customFieldItems`, hide, async (request) => {
      const card = visibleCard(authenticate(request), request.params.id);
      return card.customFieldItems.map((item) => ({ ...item, idModel: card.id, modelType: 'card' }));
    });

    /** Sets (or with `value: ""` clears) a card's value of a custom field, checked against its type. */
    app.put<{ Params: { id: string; field: string } }>(
      `${base}/cards/:id/customField/:field/item`,
      hide,
      async (request) => {
        const card = visibleCard(authenticate(request), request.params.id);
        const field = store.customFields.find(
          (candidate) => candidate.id === request.params.field && candidate.idModel === card.idBoard,
        );
        if (!field) throw new TrelloHttpError(400, 'invalid value for idCustomField');
        const body = (request.body ?? {}) as { value?: unknown };
        const existing = card.customFieldItems.findIndex((item) => item.idCustomField === field.id);
        if (body.value === '') {
          if (existing >= 0) card.customFieldItems.splice(existing, 1);
          return { id: null, idCustomField: field.id, idModel: card.id, modelType: 'card', value: null };
        }
        const value = body.value as Record<string, unknown> | undefined;
        const key = field.type === 'checkbox' ? 'checked' : field.type;
        const given = value && typeof value === 'object' ? value[key] : undefined;
        const valid =
          typeof given === 'string' &&
          Object.keys(value ?? {}).length === 1 &&
          (field.type === 'text'
            ? given.length <= MAX_TEXT
            : field.type === 'number'
              ? given.trim() !== '' && Number.isFinite(Number(given))
              : field.type === 'date'
                ? !Number.isNaN(Date.parse(given))
                : given === 'true' || given === 'false');
        if (!valid) throw new TrelloHttpError(400, 'Invalid custom field item value.');
        const item: TrelloCustomFieldItem = {
          id: existing >= 0 ? (card.customFieldItems[existing]?.id ?? trelloId(now())) : trelloId(now()),
          idCustomField: field.id,
          value: { [key]: given },
        };
        if (existing >= 0) card.customFieldItems[existing] = item;
        else card.customFieldItems.push(item);
        card.dateLastActivity = now().toISOString();
        return { ...item, idModel: card.id, modelType: 'card' };
      },
    );

    app.get<{ Params: { id: string } }>(`${base}/cards/:id/attachments`, hide, async (request) => {
      const card = visibleCard(authenticate(request), request.params.id);
      return card.attachments.map((attachment) => attachmentJson(card, attachment));
    });

    app.post<{ Params: { id: string } }>(`${base}/cards/:id/attachments`, hide, async (request) => {
      const member = authenticate(request);
      const card = visibleCard(member, request.params.id);
      if (!request.isMultipart()) throw new TrelloHttpError(400, 'invalid value for file');
      let file: { fileName: string; mimeType: string; bytes: Buffer } | undefined;
      const fields: Record<string, string> = {};
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          const bytes = await part.toBuffer();
          if (part.fieldname === 'file') file = { fileName: part.filename, mimeType: part.mimetype, bytes };
        } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
      }
      if (!file) throw new TrelloHttpError(400, 'invalid value for file');
      const attachment: TrelloAttachment = {
        id: trelloId(now()),
        name: fields.name || file.fileName,
        fileName: file.fileName,
        mimeType: fields.mimeType || file.mimeType || 'application/octet-stream',
        bytes: file.bytes,
        date: now().toISOString(),
        idMember: member.id,
      };
      card.attachments.push(attachment);
      card.dateLastActivity = attachment.date;
      return attachmentJson(card, attachment);
    });

    // Downloads need the OAuth header (Trello refuses key and token in the query here).
    app.get<{ Params: { id: string; attachment: string; name: string } }>(
      `${base}/cards/:id/attachments/:attachment/download/:name`,
      hide,
      async (request, reply) => {
        if (!/^OAuth\s/i.test(request.headers.authorization ?? ''))
          throw new TrelloHttpError(401, 'unauthorized permission requested');
        const card = visibleCard(authenticate(request), request.params.id);
        const attachment = card.attachments.find((candidate) => candidate.id === request.params.attachment);
        if (!attachment) throw new TrelloHttpError(404, 'The requested resource was not found.');
        return reply.type(attachment.mimeType).send(attachment.bytes);
      },
    );

    app.get<{ Params: { id: string }; Querystring: { filter?: string } }>(
      `${base}/cards/:id/actions`,
      hide,
      async (request) => {
        const card = visibleCard(authenticate(request), request.params.id);
        const filter = request.query.filter ?? 'commentCard';
        if (!filter.split(',').includes('commentCard')) return [];
        return [...card.comments].reverse().map((comment) => commentJson(card, comment));
      },
    );

    app.post<{ Params: { id: string } }>(`${base}/cards/:id/actions/comments`, hide, async (request) => {
      const member = authenticate(request);
      const card = visibleCard(member, request.params.id);
      const text = param(request, 'text') ?? '';
      if (text.trim() === '' || text.length > MAX_TEXT)
        throw new TrelloHttpError(400, 'invalid value for text');
      const comment: TrelloComment = {
        id: trelloId(now()),
        text,
        date: now().toISOString(),
        idMember: member.id,
      };
      card.comments.push(comment);
      card.dateLastActivity = comment.date;
      return commentJson(card, comment);
    });

    app.get(`${base}/search`, hide, async (request) => {
      const member = authenticate(request);
      const query = (param(request, 'query') ?? '').trim();
      if (query === '') throw new TrelloHttpError(400, 'invalid value for query');
      const boards = (param(request, 'idBoards') ?? 'mine').split(',').filter((id) => id !== 'mine');
      const limit = Math.min(1000, Math.max(1, Number(param(request, 'cards_limit') ?? 10) || 10));
      const words = query
        .toLowerCase()
        .split(/\s+/)
        .map((word) => word.replace(/\*$/, ''));
      const cards = store.cards
        .filter(
          (card) =>
            !card.closed &&
            canSee(member, card.idBoard) &&
            (boards.length === 0 || boards.includes(card.idBoard)),
        )
        .filter((card) => {
          const text = `${card.name} ${card.desc}`.toLowerCase();
          return words.every((word) => text.includes(word));
        })
        .sort((a, b) => b.dateLastActivity.localeCompare(a.dateLastActivity))
        .slice(0, limit);
      return {
        options: { terms: words.map((text) => ({ text })), modelTypes: ['cards'] },
        cards: cards.map(cardJson),
        boards: [],
        members: [],
        organizations: [],
        actions: [],
      };
    });
  }

  return { store, faults, apiUrl, plugin };
}

const SHORT_LINK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Trello's short links are eight letters and digits. A base64url slice of the id (as before) held a
 * `-` or `_` in about one card of four, which the product rightly refuses as no Trello link.
 */
function shortLinkOf(): string {
  let link = '';
  for (let index = 0; index < 8; index++) link += SHORT_LINK_ALPHABET[randomInt(SHORT_LINK_ALPHABET.length)];
  return link;
}
