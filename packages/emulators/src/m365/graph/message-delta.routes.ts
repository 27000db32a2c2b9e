import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EmulatorContext } from '../emulator-context.js';
import { PERMISSIONS } from './graph-auth.js';
import { GraphError } from './graph-errors.js';
import { mailboxOwnerOf, requirePermission, sendGraphJson } from './graph-request.js';
import { inboxId, MESSAGE_PROPERTIES, messageJson } from './mail.routes.js';
import { applySelect, parseSelect } from './odata.js';

const text = z.string().max(4096).optional();
const deltaQuery = z.looseObject({ $select: text, $skiptoken: text, $deltatoken: text, changeType: text });
const folderParams = z.object({ folder: z.string().min(1).max(256) });
const userFolderParams = folderParams.extend({ user: z.string().min(1).max(320) });

/** What a state token carries: the mailbox and folder, where the round stands, what was asked. */
interface DeltaState {
  /** Mailbox owner and folder the token belongs to. */
  u: string;
  f: string;
  /** Changes above this sequence belong to this round (0: the initial full round). */
  since: number;
  /** The sequence when the round started; the next round's `since`. */
  upTo: number;
  /** Offset of the next page inside the round. */
  o: number;
  select: string[] | null;
}

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 1000;

function encodeState(state: DeltaState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function invalidToken(): GraphError {
  // Exchange answers a state token it cannot use with 400; clients start a new full round (§4.10).
  return new GraphError(
    400,
    'ErrorInvalidSyncStateData',
    'The sync state data is corrupt or otherwise invalid.',
  );
}

function decodeState(token: string, ownerId: string, folder: string): DeltaState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidToken();
  }
  const state = parsed as Partial<DeltaState> | null;
  if (
    !state ||
    state.u !== ownerId ||
    state.f !== folder ||
    typeof state.since !== 'number' ||
    typeof state.upTo !== 'number' ||
    typeof state.o !== 'number' ||
    !(state.select === null || Array.isArray(state.select))
  ) {
    throw invalidToken();
  }
  return state as DeltaState;
}

/** `Prefer: odata.maxpagesize=N` sets the page size of a delta round. */
function pageSizeOf(request: FastifyRequest): number {
  const match = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(String(request.headers.prefer ?? ''));
  if (!match?.[1]) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(Number(match[1]), 1), MAX_PAGE_SIZE);
}

/**
 * Delta queries on a folder's messages (docs/microsoft-365.md §4.10): a first round lists every
 * message, later rounds only the ones changed since the round before; pages link on with
 * `$skiptoken`, the last page carries `@odata.deltaLink` with `$deltatoken`. The emulator's mailboxes
 * hold one folder, the Inbox (`inbox` or its id).
 */
export const messageDeltaRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (
  app,
  { context },
) => {
  const schemaBase = { tags: ['emulator'], security: [{ bearer: [] }] };

  function delta(request: FastifyRequest, reply: FastifyReply, userKey: string | undefined, folder: string) {
    const { principal, ownerId, shared } = mailboxOwnerOf(context, request, userKey);
    requirePermission(principal, shared ? PERMISSIONS.readSharedMail : PERMISSIONS.readMail, 'mail');
    const folderKey = folder.toLowerCase() === 'inbox' ? 'inbox' : folder;
    if (folderKey !== 'inbox' && folderKey !== inboxId(ownerId)) {
      throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    }
    const query = request.query as z.infer<typeof deltaQuery>;
    let state: DeltaState;
    const token = query.$skiptoken ?? query.$deltatoken;
    if (token !== undefined) {
      state = decodeState(token, ownerId, folderKey);
      // A delta token opens the next round: everything changed since the last one, up to now.
      if (query.$skiptoken === undefined) {
        state = { ...state, since: state.upTo, upTo: context.mailboxes.currentSequence(), o: 0 };
      }
    } else {
      const select = parseSelect(query.$select, MESSAGE_PROPERTIES, 'microsoft.graph.message') ?? null;
      state = {
        u: ownerId,
        f: folderKey,
        since: -1,
        upTo: context.mailboxes.currentSequence(),
        o: 0,
        select,
      };
    }
    const changed = context.mailboxes
      .messages(ownerId)
      .filter((m) => m.changeSequence > state.since && m.changeSequence <= state.upTo)
      .sort((a, b) => a.changeSequence - b.changeSequence || a.id.localeCompare(b.id));
    const size = pageSizeOf(request);
    const page = changed.slice(state.o, state.o + size);
    const base = `${context.graphBase}/${userKey === undefined ? 'me' : `users/${encodeURIComponent(userKey)}`}/mailFolders/${encodeURIComponent(folder)}/messages/delta`;
    const more = state.o + page.length < changed.length;
    const link = more
      ? { '@odata.nextLink': `${base}?$skiptoken=${encodeState({ ...state, o: state.o + page.length })}` }
      : { '@odata.deltaLink': `${base}?$deltatoken=${encodeState({ ...state, o: 0 })}` };
    if (request.headers.prefer && /odata\.maxpagesize/i.test(String(request.headers.prefer))) {
      reply.header('Preference-Applied', `odata.maxpagesize=${size}`);
    }
    const select = state.select ?? undefined;
    return sendGraphJson(reply, {
      '@odata.context': `${context.graphBase}/$metadata#Collection(message)`,
      value: page.map((m) =>
        applySelect(messageJson(context, m, { preferText: false, withHeaders: false }), select, ['id']),
      ),
      ...link,
    });
  }

  app.get(
    '/me/mailFolders/:folder/messages/delta',
    {
      schema: {
        ...schemaBase,
        summary: "Graph: changes of the signed-in user's messages in a folder",
        params: folderParams,
        querystring: deltaQuery,
      },
    },
    (request, reply) => delta(request, reply, undefined, request.params.folder),
  );
  app.get(
    '/users/:user/mailFolders/:folder/messages/delta',
    {
      schema: {
        ...schemaBase,
        summary: "Graph: changes of a user's messages in a folder",
        params: userFolderParams,
        querystring: deltaQuery,
      },
    },
    (request, reply) => delta(request, reply, request.params.user, request.params.folder),
  );
};
