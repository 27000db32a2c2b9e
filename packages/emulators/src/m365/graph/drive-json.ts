import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EmulatorContext } from '../emulator-context.js';
import type { Drive, DriveItemRecord } from './drive-store.js';

const downloadKey = randomBytes(32);
const DOWNLOAD_URL_LIFETIME_MS = 60 * 60 * 1000;

/** Pre-authenticated download URLs (valid an hour, as Graph's), signed so nobody can forge one. */
export function downloadUrl(context: EmulatorContext, drive: Drive, item: DriveItemRecord): string {
  const payload = Buffer.from(
    JSON.stringify({ d: drive.seed.id, i: item.id, e: context.now().getTime() + DOWNLOAD_URL_LIFETIME_MS }),
  ).toString('base64url');
  const signature = createHmac('sha256', downloadKey).update(payload).digest('base64url');
  return `${context.emulatorBase}/sharepoint/download/${payload}.${signature}`;
}

export function readDownloadToken(
  context: EmulatorContext,
  token: string,
): { driveId: string; itemId: string } | undefined {
  const [payload, signature] = token.split('.');
  if (!payload || !signature) return undefined;
  const expected = createHmac('sha256', downloadKey).update(payload).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      d?: unknown;
      i?: unknown;
      e?: unknown;
    };
    if (typeof parsed.d !== 'string' || typeof parsed.i !== 'string' || typeof parsed.e !== 'number')
      return undefined;
    if (parsed.e < context.now().getTime()) return undefined;
    return { driveId: parsed.d, itemId: parsed.i };
  } catch {
    return undefined;
  }
}

function encodePath(segments: string[]): string {
  return segments.map((segment) => encodeURIComponent(segment)).join('/');
}

/** Graph's `driveItem` (docs/microsoft-365.md §6.1). */
export function driveItemJson(
  context: EmulatorContext,
  drive: Drive,
  item: DriveItemRecord,
  options: { withDownloadUrl?: boolean } = {},
): Record<string, unknown> {
  const store = context.drives;
  const parent = item.parentId === null ? undefined : store.item(drive, item.parentId);
  const parentSegments = parent ? store.pathSegments(drive, parent) : [];
  const itemSegments = store.pathSegments(drive, item);
  const site = drive.seed;
  const tag = `{${item.tagGuid}},${item.version}`;
  const isRoot = item.parentId === null;
  return {
    '@odata.context': `${context.graphBase}/$metadata#drives('${encodeURIComponent(drive.seed.id)}')/items/$entity`,
    ...(options.withDownloadUrl && !item.folder
      ? { '@microsoft.graph.downloadUrl': downloadUrl(context, drive, item) }
      : {}),
    createdDateTime: item.createdDateTime,
    eTag: `"${tag}"`,
    id: item.id,
    lastModifiedDateTime: item.lastModifiedDateTime,
    name: item.name,
    webUrl: `https://${site.siteHost}${site.sitePath}/${site.libraryPath}${itemSegments.length ? `/${encodePath(itemSegments)}` : ''}`,
    cTag: `"c:${tag}"`,
    size: item.size,
    createdBy: { user: { displayName: item.createdBy } },
    lastModifiedBy: { user: { displayName: item.lastModifiedBy } },
    parentReference: parent
      ? {
          driveType: site.driveType,
          driveId: drive.seed.id,
          id: parent.id,
          name: parent.parentId === null ? decodeURIComponent(site.libraryPath) : parent.name,
          path: `/drives/${drive.seed.id}/root:${parentSegments.length ? `/${encodePath(parentSegments)}` : ''}`,
          siteId: site.siteId,
        }
      : { driveType: site.driveType, driveId: drive.seed.id, siteId: site.siteId },
    fileSystemInfo: {
      createdDateTime: item.createdDateTime,
      lastModifiedDateTime: item.lastModifiedDateTime,
    },
    ...(item.folder
      ? { folder: { childCount: store.childCount(drive, item.id) } }
      : { file: { mimeType: item.mimeType, hashes: { quickXorHash: item.quickXorHash } } }),
    ...(isRoot ? { root: {} } : {}),
  };
}

export function driveJson(context: EmulatorContext, drive: Drive): Record<string, unknown> {
  const site = drive.seed;
  return {
    '@odata.context': `${context.graphBase}/$metadata#drives/$entity`,
    createdDateTime: '2026-01-05T08:00:00Z',
    description: site.description,
    id: site.id,
    lastModifiedDateTime: '2026-01-05T08:00:00Z',
    name: site.name,
    webUrl: `https://${site.siteHost}${site.sitePath}/${site.libraryPath}`,
    driveType: site.driveType,
    createdBy: { user: { displayName: 'System Account' } },
    owner: site.ownerUserId
      ? {
          user: {
            id: site.ownerUserId,
            displayName: context.directory.userById(site.ownerUserId)?.displayName ?? '',
          },
        }
      : site.memberGroupId
        ? {
            group: {
              id: site.memberGroupId,
              displayName: context.directory.group(site.tenantId, site.memberGroupId)?.displayName ?? '',
            },
          }
        : { group: { displayName: `${site.name} owners` } },
    quota: { deleted: 0, remaining: 1_099_511_627_776, state: 'normal', total: 1_099_511_627_776, used: 0 },
  };
}
