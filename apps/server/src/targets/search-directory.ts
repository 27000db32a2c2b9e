import { AppError } from '../errors/app-error.js';
import type { GraphClient } from '../graph/graph-client.js';
import { graphFailureOf } from '../graph/graph-errors.js';

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

/** The query options a next link of ours can carry (Graph adds `$skiptoken`), each at most once. */
const CONTINUATION_OPTIONS = new Set(['$select', '$top', '$count', '$search', '$orderby', '$skiptoken']);

const NOT_A_CONTINUATION = () =>
  new AppError(400, 'invalid_request', 'page: not a continuation of this search.');

/** A next link of this very collection with nothing in it but what such a link holds. */
function isContinuation(page: string, collection: string): boolean {
  if (!page.startsWith(`${collection}?`)) return false;
  let url: URL;
  try {
    url = new URL(page);
  } catch {
    return false;
  }
  const names = [...url.searchParams.keys()];
  return (
    `${url.origin}${url.pathname}` === collection &&
    names.every((name) => CONTINUATION_OPTIONS.has(name)) &&
    new Set(names).size === names.length
  );
}

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
    if (!isContinuation(input.page, `${graphBaseUrl}/${input.kind}`)) throw NOT_A_CONTINUATION();
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
  const page = await graph
    .json<DirectoryPage>({
      path,
      headers: { ConsistencyLevel: 'eventual' },
      what: `search ${input.kind}`,
    })
    .catch((error: unknown) => {
      // Graph refusing a continuation refuses what the caller sent (a link edited or expired).
      if (input.page && graphFailureOf(error)?.graphStatus === 400) throw NOT_A_CONTINUATION();
      throw error;
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
