import type { GraphClient } from '../graph/graph-client.js';

/**
 * The SharePoint picker's three steps through Graph, app-only (docs/microsoft-365.md §6): sites by
 * search, a site's document libraries, a folder's subfolders. Nobody types a drive id.
 */
export async function searchSites(graph: GraphClient, search: string) {
  const term = search.replace(/[&#?"\\]/g, ' ').trim() || '*';
  const page = await graph.json<{
    value: Array<{ id: string; displayName?: string; name?: string; webUrl?: string }>;
  }>({
    path: `/sites?search=${encodeURIComponent(term)}&$select=id,displayName,name,webUrl`,
    what: 'search sites',
  });
  return page.value.map((site) => ({
    id: site.id,
    displayName: site.displayName ?? site.name ?? site.id,
    webUrl: site.webUrl ?? null,
  }));
}

export async function listSiteDrives(graph: GraphClient, siteId: string) {
  const page = await graph.json<{ value: Array<{ id: string; name: string; webUrl?: string }> }>({
    path: `/sites/${encodeURIComponent(siteId)}/drives?$select=id,name,webUrl`,
    what: 'list document libraries',
  });
  return page.value.map((drive) => ({ id: drive.id, name: drive.name, webUrl: drive.webUrl ?? null }));
}

export async function listFolders(graph: GraphClient, driveId: string, folderPath: string) {
  const clean = folderPath
    .split('/')
    .map((segment) => segment.trim())
    .filter(Boolean);
  const base = `/drives/${encodeURIComponent(driveId)}`;
  const parent =
    clean.length === 0 ? `${base}/root` : `${base}/root:/${clean.map(encodeURIComponent).join('/')}:`;
  const folders: Array<{ id: string; name: string; path: string }> = [];
  for await (const item of graph.paginate<{ id: string; name: string; folder?: object }>(
    `${parent}/children?$select=id,name,folder&$top=200`,
  )) {
    if (item.folder) folders.push({ id: item.id, name: item.name, path: [...clean, item.name].join('/') });
    if (folders.length >= 1000) break;
  }
  return folders.sort((a, b) => a.name.localeCompare(b.name));
}
