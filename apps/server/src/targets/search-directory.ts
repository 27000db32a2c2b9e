import { AppError } from '../errors/app-error.js';
import type { GraphClient } from '../graph/graph-client.js';

interface DirectoryObject {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  description?: string | null;
}

interface DirectoryPage {
  value: DirectoryObject[];
  '@odata.count'?: number;
  '@odata.nextLink'?: string;
}

const PAGE_SIZE = 25;

/** `"`, `\` and control characters cannot appear inside a `$search` clause; they are dropped. */
function searchTerm(q: string): string {
  return q.replace(/["\\\p{Cc}]/gu, ' ').trim();
}

/**
 * Searches the tenant's users or groups through Graph (docs/microsoft-365.md §5.1–5.2): `$search` on
 * displayName with `ConsistencyLevel: eventual` and `$count=true`, a page at a time. `page` is the
 * previous answer's `@odata.nextLink`, accepted only when it points at the same Graph collection, so
 * the portal cannot make the server call anything else with the tenant's token.
 */
export async function searchDirectory(
  graph: GraphClient,
  graphBaseUrl: string,
  input: { kind: 'users' | 'groups'; q: string; page?: string | undefined },
): Promise<{
  results: Array<{ id: string; displayName: string; detail: string | null }>;
  count: number | null;
  next: string | null;
}> {
  let path: string;
  if (input.page) {
    if (!input.page.startsWith(`${graphBaseUrl}/${input.kind}?`)) {
      throw new AppError(400, 'invalid_request', 'page: not a continuation of this search.');
    }
    path = input.page;
  } else {
    const select =
      input.kind === 'users' ? 'id,displayName,mail,userPrincipalName' : 'id,displayName,description,mail';
    const params = new URLSearchParams({ $select: select, $top: String(PAGE_SIZE), $count: 'true' });
    const term = searchTerm(input.q);
    if (term) params.set('$search', `"displayName:${term}"`);
    else params.set('$orderby', 'displayName');
    path = `/${input.kind}?${params.toString()}`;
  }
  const page = await graph.json<DirectoryPage>({
    path,
    headers: { ConsistencyLevel: 'eventual' },
    what: `search ${input.kind}`,
  });
  return {
    results: page.value.map((item) => ({
      id: item.id,
      displayName: item.displayName ?? item.userPrincipalName ?? item.id,
      detail:
        (input.kind === 'users' ? (item.mail ?? item.userPrincipalName) : (item.description ?? item.mail)) ??
        null,
    })),
    count: page['@odata.count'] ?? null,
    next: page['@odata.nextLink'] ?? null,
  };
}
