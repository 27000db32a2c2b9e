import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EmulatorContext } from '../emulator-context.js';
import { groupDriveId, personalDriveId } from '../seed/drive-seed.js';
import { downloadUrl, driveItemJson, driveJson } from './drive-json.js';
import type { ConflictBehavior, Drive, DriveItemRecord } from './drive-store.js';
import type { GraphPrincipal } from './graph-auth.js';
import { PERMISSIONS } from './graph-auth.js';
import { GraphError } from './graph-errors.js';
import { principalOf, queryOf, requirePermission, sendGraphJson } from './graph-request.js';
import { checkFieldUpdate, columnDefinitionJson, fieldValueSetJson, libraryColumns } from './list-columns.js';
import { applySelect, decodeSkipToken, pageOf, parseSelect, parseTop } from './odata.js';
import { BodyTooLargeError, bodyStream, receiveBodyToFile } from './receive-body.js';

/** Simple uploads above 4 MB must use an upload session (docs/microsoft-365.md §6.4). */
export const SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024;
export const UPLOAD_SESSION_LIFETIME_MS = 24 * 60 * 60 * 1000;

const conflictBehavior = z.enum(['fail', 'replace', 'rename']);
const driveParams = z.object({ drive: z.string().min(1).max(200), '*': z.string().max(2000).optional() });
const userDriveParams = z.object({ user: z.string().min(1).max(320), '*': z.string().max(2000).optional() });
const driveQuery = z.looseObject({
  $top: z.string().max(10).optional(),
  $select: z.string().max(2000).optional(),
  $skiptoken: z.string().max(200).optional(),
  '@microsoft.graph.conflictBehavior': conflictBehavior.optional(),
});
const createFolderBody = z.looseObject({
  name: z.string().min(1).max(400),
  folder: z.looseObject({}).optional(),
  file: z.unknown().optional(),
  '@microsoft.graph.conflictBehavior': conflictBehavior.optional(),
});
const createSessionBody = z
  .looseObject({
    item: z
      .looseObject({
        '@microsoft.graph.conflictBehavior': conflictBehavior.optional(),
        name: z.string().max(400).optional(),
        fileSize: z.number().int().min(0).optional(),
      })
      .optional(),
    deferCommit: z.boolean().optional(),
  })
  .optional();

const DRIVE_ITEM_PROPERTIES = [
  'id',
  'name',
  'size',
  'webUrl',
  'eTag',
  'cTag',
  'createdDateTime',
  'lastModifiedDateTime',
  'createdBy',
  'lastModifiedBy',
  'parentReference',
  'fileSystemInfo',
  'file',
  'folder',
  'root',
  '@microsoft.graph.downloadUrl',
];

export interface UploadSession {
  id: string;
  driveId: string;
  parentId: string;
  name: string;
  behavior: ConflictBehavior;
  replaceItemId: string | undefined;
  total: number | undefined;
  received: number;
  file: string;
  expiresAt: number;
  busy: boolean;
  by: string;
}

/** Upload sessions live in memory with their bytes in a temporary file; a restart abandons them. */
export const uploadSessions = new Map<string, UploadSession>();

/** Where a drive path points: `root`, `items/{id}`, optionally `:/{path}:`, then a suffix. */
interface DriveAddress {
  base: 'drive' | 'root' | { itemId: string };
  relative: string[];
  suffix: string;
}

function parseDriveAddress(raw: string): DriveAddress {
  if (raw === '' || raw === '/') return { base: 'drive', relative: [], suffix: '' };
  const match = /^\/(root|items\/([^/:]+))(.*)$/.exec(raw);
  if (!match)
    throw new GraphError(400, 'invalidRequest', `Invalid request: unsupported drive path '${raw}'.`);
  const base = match[2] ? { itemId: decodeURIComponent(match[2]) } : ('root' as const);
  const tail = match[3] ?? '';
  if (tail.startsWith(':')) {
    const inner = tail.slice(1);
    const close = inner.indexOf(':');
    const pathPart = close < 0 ? inner : inner.slice(0, close);
    const after = close < 0 ? '' : inner.slice(close + 1);
    let relative: string[];
    try {
      relative = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      throw new GraphError(
        400,
        'invalidRequest',
        'The path is not correctly percent-encoded.',
        'invalidPath',
      );
    }
    if (relative.join('/').length >= 400) {
      throw new GraphError(400, 'invalidRequest', 'The path is too long.', 'pathIsTooLong');
    }
    return { base, relative, suffix: after.replace(/^\//, '') };
  }
  return { base, relative: [], suffix: tail.replace(/^\//, '') };
}

/** Kept here (not imported from graph.plugin) to avoid an import cycle. */
const GRAPH_PREFIX_PATH = '/emulator/graph/v1.0';

/**
 * The raw (still percent-encoded) part of the URL after the drive's own segments (`drives/{id}`,
 * `me/drive`, `users/{id}/drive`), so `%2F` and `%3A` in names stay data instead of path syntax.
 */
function rawDriveRemainder(request: FastifyRequest, driveSegments: number): string {
  const pathOnly = request.url.split('?')[0] ?? '';
  const afterPrefix = pathOnly.slice(pathOnly.indexOf(GRAPH_PREFIX_PATH) + GRAPH_PREFIX_PATH.length);
  const segments = afterPrefix.split('/').slice(1 + driveSegments);
  return segments.length === 0 ? '' : `/${segments.join('/')}`;
}

const itemNotFound = () => new GraphError(404, 'itemNotFound', 'The resource could not be found.');

/** Drives and driveItems (docs/microsoft-365.md §6): addressing by id and path, folders, uploads, downloads. */
export const driveRoutes: FastifyPluginAsyncZod<{ context: EmulatorContext }> = async (app, { context }) => {
  const store = context.drives;
  const schemaBase = { tags: ['emulator'], security: [{ bearer: [] }] };

  async function driveFor(principal: GraphPrincipal, driveId: string, write: boolean): Promise<Drive> {
    requirePermission(principal, write ? PERMISSIONS.writeFiles : PERMISSIONS.readFiles, 'drive');
    const drive = await store.driveById(driveId);
    // Another tenant's library does not exist from this tenant's point of view.
    if (!drive || drive.seed.tenantId !== principal.tenantId) {
      throw new GraphError(
        404,
        'itemNotFound',
        'The provided drive id appears to be malformed, or does not represent a valid drive.',
      );
    }
    // A OneDrive belongs to its owner; delegated callers reach only their own (no sharing here).
    if (
      drive.seed.ownerUserId &&
      principal.kind === 'delegated' &&
      principal.userId !== drive.seed.ownerUserId
    ) {
      throw new GraphError(
        403,
        'accessDenied',
        'Access denied. You do not have permission to perform this action.',
      );
    }
    // A group's library is its members' (SharePoint site permissions follow the group).
    if (
      drive.seed.memberGroupId &&
      principal.kind === 'delegated' &&
      !context.directory
        .transitiveGroupsOf(principal.tenantId, principal.userId)
        .some((group) => group.id === drive.seed.memberGroupId)
    ) {
      throw new GraphError(
        403,
        'accessDenied',
        'Access denied. You do not have permission to perform this action.',
      );
    }
    return drive;
  }

  app.get(
    '/groups/:group/drive',
    {
      schema: {
        ...schemaBase,
        summary: "Graph: a Microsoft 365 group's document library",
        params: z.object({ group: z.string().min(1).max(100) }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const group = context.directory.group(principal.tenantId, request.params.group);
      if (!group) {
        throw new GraphError(
          404,
          'Request_ResourceNotFound',
          `Resource '${request.params.group}' does not exist or one of its queried reference-property objects are not present.`,
        );
      }
      if (!group.groupTypes.includes('Unified')) {
        throw new GraphError(404, 'itemNotFound', 'Security groups have no document library.');
      }
      return sendGraphJson(
        reply,
        driveJson(context, await driveFor(principal, groupDriveId(group.id), false)),
      );
    },
  );

  /** The OneDrive of `/me/drive` or `/users/{id|upn}/drive`. */
  function personalDriveIdOf(principal: GraphPrincipal, userKey: string | undefined): string {
    if (userKey === undefined && principal.kind !== 'delegated') {
      throw new GraphError(
        400,
        'BadRequest',
        '/me request is only valid with delegated authentication flow.',
      );
    }
    const key = userKey ?? (principal.kind === 'delegated' ? principal.userId : '');
    const user = context.directory.user(principal.tenantId, key);
    if (!user) throw new GraphError(404, 'itemNotFound', `The user '${key}' has no OneDrive.`);
    return personalDriveId(user.id);
  }

  const byName = (principal: GraphPrincipal): string => {
    if (principal.kind === 'delegated')
      return context.directory.user(principal.tenantId, principal.userId)?.displayName ?? 'User';
    return 'Mailissa';
  };

  function baseItem(drive: Drive, address: DriveAddress): DriveItemRecord {
    const id = address.base === 'root' || address.base === 'drive' ? drive.rootId : address.base.itemId;
    const item = store.item(drive, id);
    if (!item) throw itemNotFound();
    return item;
  }

  function existingItem(drive: Drive, address: DriveAddress): DriveItemRecord {
    const item = store.resolvePath(drive, baseItem(drive, address).id, address.relative);
    if (!item) throw itemNotFound();
    return item;
  }

  /** For create-by-path: the parent folder (which must exist) and the new item's name. */
  function parentAndName(drive: Drive, address: DriveAddress): { parent: DriveItemRecord; name: string } {
    const name = address.relative.at(-1);
    if (!name)
      throw new GraphError(400, 'invalidRequest', 'The path must end with the file name.', 'invalidPath');
    const parent = store.resolvePath(drive, baseItem(drive, address).id, address.relative.slice(0, -1));
    if (!parent?.folder) throw itemNotFound();
    return { parent, name };
  }

  /**
   * Where an upload lands: by path, a file of the last segment's name in its folder (a taken name is
   * settled by `behavior` now); by item id, that file, whose content is replaced. A folder addressed
   * by id has no content, and the refusal says what the caller should have sent instead.
   */
  function uploadTarget(
    drive: Drive,
    address: DriveAddress,
    behavior: ConflictBehavior,
    options: { namedInBody?: string; folderMessage: string },
  ): { parentId: string; name: string; replaceItemId?: string } {
    if (address.relative.length > 0) {
      const { parent, name } = parentAndName(drive, address);
      if (options.namedInBody !== undefined && options.namedInBody !== name) {
        throw new GraphError(400, 'invalidRequest', 'item.name must match the file name in the path.');
      }
      store.resolveConflict(drive, parent.id, name, behavior);
      return { parentId: parent.id, name };
    }
    const existing = baseItem(drive, address);
    if (existing.folder) throw new GraphError(400, 'invalidRequest', options.folderMessage);
    return { parentId: existing.parentId ?? drive.rootId, name: existing.name, replaceItemId: existing.id };
  }

  async function handleGet(
    request: FastifyRequest,
    reply: FastifyReply,
    drive: Drive,
    address: DriveAddress,
  ) {
    if (address.base === 'drive') return sendGraphJson(reply, driveJson(context, drive));
    const item = existingItem(drive, address);
    const query = queryOf(request);
    const select = parseSelect(query.$select, DRIVE_ITEM_PROPERTIES, 'microsoft.graph.driveItem');
    if (address.suffix === '') {
      return sendGraphJson(
        reply,
        applySelect(driveItemJson(context, drive, item, { withDownloadUrl: true }), select, ['id']),
      );
    }
    if (address.suffix === 'children') {
      if (!item.folder) throw new GraphError(400, 'invalidRequest', 'The item is not a folder.');
      const top = parseTop(query.$top, 1000, 200);
      const offset = decodeSkipToken(query.$skiptoken);
      const children = store.children(drive, item.id).map((child) => {
        const { '@odata.context': _context, ...json } = driveItemJson(context, drive, child, {
          withDownloadUrl: true,
        });
        return applySelect(json, select, ['id']);
      });
      const url = `${context.graphBase}/drives/${drive.seed.id}/items/${item.id}/children`;
      const page = pageOf({ items: children, offset, top, url, query, pageParameter: '$skiptoken' });
      return sendGraphJson(reply, {
        '@odata.context': `${context.graphBase}/$metadata#drives('${encodeURIComponent(drive.seed.id)}')/items('${item.id}')/children`,
        ...(offset === 0 ? { '@odata.count': children.length } : {}),
        ...(page.nextLink ? { '@odata.nextLink': page.nextLink } : {}),
        value: page.value,
      });
    }
    if (address.suffix === 'listItem/fields') {
      return sendGraphJson(reply, {
        '@odata.context': `${context.graphBase}/$metadata#drives('${encodeURIComponent(drive.seed.id)}')/items('${item.id}')/listItem/fields/$entity`,
        ...fieldValueSetJson(item),
      });
    }
    if (address.suffix === 'content') {
      if (item.folder) throw new GraphError(400, 'invalidRequest', 'A folder has no content to download.');
      return reply
        .status(302)
        .header('location', downloadUrl(context, drive, item))
        .send();
    }
    throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${address.suffix}'.`);
  }

  async function handlePost(
    request: FastifyRequest,
    reply: FastifyReply,
    drive: Drive,
    address: DriveAddress,
    principal: GraphPrincipal,
  ) {
    if (address.suffix === 'children') {
      const body = createFolderBody.safeParse(request.body);
      if (!body.success) {
        throw new GraphError(
          400,
          'invalidRequest',
          `Invalid request body: ${body.error.issues.map((i) => i.path.join('.') || 'body').join(', ')}.`,
        );
      }
      if (body.data.folder === undefined) {
        throw new GraphError(
          400,
          'invalidRequest',
          'Only folders can be created this way; upload files with PUT …/content.',
        );
      }
      const parent = existingItem(drive, address);
      if (!parent.folder) throw new GraphError(400, 'invalidRequest', 'The parent item is not a folder.');
      const behavior = body.data['@microsoft.graph.conflictBehavior'] ?? 'fail';
      const result = await store.createFolder(drive, parent.id, body.data.name, behavior, byName(principal));
      return sendGraphJson(reply, driveItemJson(context, drive, result.item), result.created ? 201 : 200);
    }
    if (address.suffix === 'createUploadSession') {
      const parsed = createSessionBody.safeParse(request.body ?? undefined);
      if (!parsed.success) throw new GraphError(400, 'invalidRequest', 'Invalid createUploadSession body.');
      const queryBehavior = conflictBehavior.safeParse(queryOf(request)['@microsoft.graph.conflictBehavior']);
      const behavior =
        parsed.data?.item?.['@microsoft.graph.conflictBehavior'] ??
        (queryBehavior.success ? queryBehavior.data : 'fail');
      // With `fail` a taken name is refused at once; Graph checks again when the upload completes.
      const { parentId, name, replaceItemId } = uploadTarget(drive, address, behavior, {
        namedInBody: parsed.data?.item?.name,
        folderMessage: 'Address the new file by path: …/items/{parent-id}:/{name}:/createUploadSession.',
      });
      const id = randomBytes(32).toString('base64url');
      const file = path.join(store.uploadsDirectory, id);
      await writeFile(file, Buffer.alloc(0));
      const session: UploadSession = {
        id,
        driveId: drive.seed.id,
        parentId,
        name,
        behavior,
        replaceItemId,
        total: parsed.data?.item?.fileSize,
        received: 0,
        file,
        expiresAt: context.now().getTime() + UPLOAD_SESSION_LIFETIME_MS,
        busy: false,
        by: byName(principal),
      };
      uploadSessions.set(id, session);
      return sendGraphJson(reply, {
        '@odata.context': `${context.graphBase}/$metadata#microsoft.graph.uploadSession`,
        uploadUrl: `${context.emulatorBase}/sharepoint/upload-sessions/${id}`,
        expirationDateTime: new Date(session.expiresAt).toISOString(),
        nextExpectedRanges: ['0-'],
      });
    }
    throw new GraphError(
      400,
      'BadRequest',
      `Resource not found for the segment '${address.suffix || 'items'}'.`,
    );
  }

  const handleDriveRequest = async (
    request: FastifyRequest,
    reply: FastifyReply,
    driveId: string,
    driveSegments: number,
  ) => {
    const principal = principalOf(request);
    const drive = await driveFor(principal, driveId, request.method !== 'GET');
    const remainder = rawDriveRemainder(request, driveSegments);
    if (remainder === '/list/columns' && request.method === 'GET') return listColumns(reply, drive);
    const address = parseDriveAddress(remainder);
    if (request.method === 'GET') return handleGet(request, reply, drive, address);
    if (request.method === 'POST') return handlePost(request, reply, drive, address, principal);
    const item = existingItem(drive, address);
    if (item.parentId === null)
      throw new GraphError(403, 'accessDenied', 'The root folder cannot be deleted.');
    await store.deleteItem(drive, item.id);
    return reply.status(204).send();
  };
  /** The columns of the drive's list, reached through the drive's `list` relationship. */
  function listColumns(reply: FastifyReply, drive: Drive) {
    return sendGraphJson(reply, {
      '@odata.context': `${context.graphBase}/$metadata#drives('${encodeURIComponent(drive.seed.id)}')/list/columns`,
      value: libraryColumns(drive.seed.columns).map((column) => columnDefinitionJson(drive.seed.id, column)),
    });
  }

  app.patch(
    '/drives/:drive/items/:item/listItem/fields',
    {
      schema: {
        ...schemaBase,
        summary: "Graph: set fields of a file's list item (only the fields named change)",
        params: z.object({ drive: z.string().min(1).max(200), item: z.string().min(1).max(200) }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const drive = await driveFor(principal, request.params.drive, true);
      const item = store.item(drive, request.params.item);
      if (!item) throw itemNotFound();
      const update = checkFieldUpdate(libraryColumns(drive.seed.columns), request.body);
      const changed = await store.setFields(drive, item.id, update, byName(principal));
      return sendGraphJson(reply, {
        '@odata.context': `${context.graphBase}/$metadata#drives('${encodeURIComponent(drive.seed.id)}')/items('${item.id}')/listItem/fields/$entity`,
        ...fieldValueSetJson(changed),
      });
    },
  );

  const driveHandler = async (
    request: FastifyRequest<{ Params: z.infer<typeof driveParams> }>,
    reply: FastifyReply,
  ) => handleDriveRequest(request, reply, request.params.drive, 2);
  const myDriveHandler = async (request: FastifyRequest, reply: FastifyReply) =>
    handleDriveRequest(request, reply, personalDriveIdOf(principalOf(request), undefined), 2);
  const userDriveHandler = async (
    request: FastifyRequest<{ Params: z.infer<typeof userDriveParams> }>,
    reply: FastifyReply,
  ) => handleDriveRequest(request, reply, personalDriveIdOf(principalOf(request), request.params.user), 3);

  /** Graph answers the same item operations at a drive's root path and at every path below it. */
  const routeDriveTree = <Params>(
    root: string,
    schema: { summary: string; params?: z.ZodType<Params> },
    handler: (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => Promise<unknown>,
  ) => {
    for (const url of [root, `${root}/*`]) {
      app.route<{ Params: Params }>({
        method: ['GET', 'POST', 'DELETE'],
        url,
        schema: { ...schemaBase, ...schema, querystring: driveQuery },
        handler,
      });
    }
  };
  routeDriveTree(
    '/me/drive',
    { summary: "Graph: the signed-in user's OneDrive and its items" },
    myDriveHandler,
  );
  routeDriveTree(
    '/users/:user/drive',
    { summary: "Graph: a user's OneDrive and its items", params: userDriveParams },
    userDriveHandler,
  );
  routeDriveTree(
    '/drives/:drive',
    { summary: 'Graph: a drive and its items (by id or path)', params: driveParams },
    driveHandler,
  );

  const siteDrive = (site: string, principal: GraphPrincipal): Drive => {
    requirePermission(principal, PERMISSIONS.readFiles, 'drive');
    const drives = store.drivesOfTenant(principal.tenantId);
    const drive =
      site === 'root' ? drives[0] : drives.find((d) => d.seed.siteId.toLowerCase() === site.toLowerCase());
    if (!drive) throw new GraphError(404, 'itemNotFound', 'Requested site could not be found');
    return drive;
  };
  const siteParams = z.object({ site: z.string().min(1).max(300) });

  /** The sites of the caller's tenant: one per SharePoint site that holds a document library. */
  const sitesOf = (principal: GraphPrincipal) => {
    const sites = new Map<string, Record<string, unknown>>();
    for (const drive of store.drivesOfTenant(principal.tenantId)) {
      if (drive.seed.driveType !== 'documentLibrary' || sites.has(drive.seed.siteId)) continue;
      const name = drive.seed.sitePath.split('/').filter(Boolean).at(-1) ?? 'team';
      sites.set(drive.seed.siteId, {
        id: drive.seed.siteId,
        name,
        displayName: `${context.directory.tenant(drive.seed.tenantId)?.displayName ?? 'Team'} ${name} site`,
        webUrl: `https://${drive.seed.siteHost}${drive.seed.sitePath}`,
        siteCollection: { hostname: drive.seed.siteHost },
      });
    }
    return [...sites.values()];
  };

  app.get(
    '/sites',
    {
      schema: {
        ...schemaBase,
        summary: 'Graph: search sites (`search=` keyword, `*` for all)',
        querystring: z.looseObject({
          search: z.string().max(500).optional(),
          $select: z.string().max(500).optional(),
        }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      requirePermission(principal, PERMISSIONS.readFiles, 'drive');
      const search = (request.query as { search?: string }).search;
      if (search === undefined) {
        // Graph lists sites only through search (or getAllSites for app-only callers).
        throw new GraphError(
          400,
          'invalidRequest',
          "The 'search' query parameter is required to list sites.",
        );
      }
      const needle = search.trim().toLowerCase();
      const sites = sitesOf(principal).filter(
        (site) =>
          needle === '*' ||
          needle === '' ||
          [site.displayName, site.name, site.webUrl].some((value) =>
            String(value).toLowerCase().includes(needle),
          ),
      );
      return sendGraphJson(reply, { '@odata.context': `${context.graphBase}/$metadata#sites`, value: sites });
    },
  );
  app.get(
    '/sites/:site',
    { schema: { ...schemaBase, summary: 'Graph: a SharePoint site (root or by id)', params: siteParams } },
    async (request, reply) => {
      const drive = siteDrive(request.params.site, principalOf(request));
      const site = sitesOf(principalOf(request)).find((s) => s.id === drive.seed.siteId);
      return sendGraphJson(reply, {
        '@odata.context': `${context.graphBase}/$metadata#sites/$entity`,
        ...site,
      });
    },
  );
  app.get(
    '/sites/:site/drive',
    { schema: { ...schemaBase, summary: "Graph: a site's default document library", params: siteParams } },
    async (request, reply) =>
      sendGraphJson(reply, driveJson(context, siteDrive(request.params.site, principalOf(request)))),
  );
  app.get(
    '/sites/:site/drives',
    { schema: { ...schemaBase, summary: "Graph: a site's document libraries", params: siteParams } },
    async (request, reply) => {
      const principal = principalOf(request);
      const first = siteDrive(request.params.site, principal);
      const drives = store
        .drivesOfTenant(principal.tenantId)
        .filter((d) => d.seed.siteId === first.seed.siteId && d.seed.driveType === 'documentLibrary');
      return sendGraphJson(reply, {
        '@odata.context': `${context.graphBase}/$metadata#drives`,
        value: drives.map((drive) => {
          const { '@odata.context': _context, ...json } = driveJson(context, drive);
          return json;
        }),
      });
    },
  );

  // Simple upload streams the request body to disk, so this scope takes every body as a raw stream.
  await app.register(async (uploads) => {
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    const putHandler = async (
      request: FastifyRequest,
      reply: FastifyReply,
      driveId: string,
      driveSegments: number,
    ) => {
      const principal = principalOf(request);
      const drive = await driveFor(principal, driveId, true);
      const address = parseDriveAddress(rawDriveRemainder(request, driveSegments));
      if (address.suffix !== 'content') {
        request.raw.resume();
        throw new GraphError(
          405,
          'Request_BadRequest',
          'Specified HTTP method is not allowed for the request target.',
        );
      }
      const declared = Number(request.headers['content-length'] ?? Number.NaN);
      if (Number.isFinite(declared) && declared > SIMPLE_UPLOAD_LIMIT) {
        request.raw.resume();
        throw new GraphError(
          413,
          'requestEntityTooLarge',
          'The request is larger than 4 MB; upload larger files with an upload session (createUploadSession).',
          'maxFileSizeExceeded',
        );
      }
      const queryBehavior = conflictBehavior.safeParse(queryOf(request)['@microsoft.graph.conflictBehavior']);
      const behavior = queryBehavior.success ? queryBehavior.data : 'replace';
      const { parentId, name, replaceItemId } = uploadTarget(drive, address, behavior, {
        folderMessage: 'A folder has no content to replace.',
      });
      const file = path.join(store.uploadsDirectory, `simple-${randomBytes(16).toString('hex')}`);
      try {
        await receiveBodyToFile(bodyStream(request), file, {
          start: 0,
          flags: 'w',
          limit: SIMPLE_UPLOAD_LIMIT,
        });
        const result = await store.commitFile({
          drive,
          parentId,
          name,
          behavior,
          uploadedFile: file,
          replaceItemId,
          by: byName(principal),
        });
        return sendGraphJson(reply, driveItemJson(context, drive, result.item), result.created ? 201 : 200);
      } catch (error) {
        await rm(file, { force: true });
        if (error instanceof BodyTooLargeError) {
          request.raw.resume();
          throw new GraphError(
            413,
            'requestEntityTooLarge',
            'The request is larger than 4 MB; use an upload session.',
            'maxFileSizeExceeded',
          );
        }
        throw error;
      }
    };
    const typed = uploads.withTypeProvider<ZodTypeProvider>();
    typed.route({
      method: 'PUT',
      url: '/drives/:drive/*',
      schema: {
        ...schemaBase,
        summary: 'Graph: simple upload (≤ 4 MB) by path or item id',
        params: driveParams,
        querystring: driveQuery,
      },
      handler: (request, reply) => putHandler(request, reply, request.params.drive, 2),
    });
    typed.route({
      method: 'PUT',
      url: '/me/drive/*',
      schema: {
        ...schemaBase,
        summary: "Graph: simple upload (≤ 4 MB) to the signed-in user's OneDrive",
        querystring: driveQuery,
      },
      handler: (request, reply) =>
        putHandler(request, reply, personalDriveIdOf(principalOf(request), undefined), 2),
    });
    typed.route({
      method: 'PUT',
      url: '/users/:user/drive/*',
      schema: {
        ...schemaBase,
        summary: "Graph: simple upload (≤ 4 MB) to a user's OneDrive",
        params: userDriveParams,
        querystring: driveQuery,
      },
      handler: (request, reply) =>
        putHandler(request, reply, personalDriveIdOf(principalOf(request), request.params.user), 3),
    });
  });
};
