import type { DirectoryGroups } from '@mailissa/contracts';
import type { GraphClient } from '../graph/graph-client.js';

/** The most a picker shows: enough to choose from, short enough to read. */
const PICKER_SIZE = 25;

/**
 * Groups of the tenant's directory whose name (or description, mail) starts a word with `text`, for
 * the portal's group pickers. Graph's `$search` needs `ConsistencyLevel: eventual`
 * (docs/microsoft-365.md, directory queries); quotes in the text are dropped as they would end the
 * search clause.
 */
export async function searchDirectoryGroups(graph: GraphClient, text: string): Promise<DirectoryGroups> {
  const term = text.replace(/["\\]/g, ' ').trim();
  const query = new URLSearchParams({
    $search: `"displayName:${term}"`,
    $select: 'id,displayName,description',
    $top: String(PICKER_SIZE),
    $orderby: 'displayName',
    $count: 'true',
  });
  const answer = await graph.json<{
    value: Array<{ id: string; displayName: string | null; description: string | null }>;
  }>({
    path: `/groups?${query}`,
    headers: { ConsistencyLevel: 'eventual' },
    what: 'search the directory for groups',
  });
  return {
    groups: answer.value.map((group) => ({
      id: group.id,
      displayName: group.displayName ?? group.id,
      description: group.description ?? null,
    })),
  };
}
