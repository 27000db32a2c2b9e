import { withTenant } from '../db/database.js';
import { graphFailureOf } from '../graph/graph-errors.js';
import type { MessageCopy } from '../graph/outlook-categories.js';
import { applyCopyToTeam } from './apply-message-change.js';
import type { OutlookSubscriptionRow } from './outlook-subscription.rows.js';
import { microsoftTenantIdFor, type OutlookSyncDeps } from './outlook-sync-deps.js';

interface DeltaPage {
  value: Array<{
    id: string;
    internetMessageId?: string | null;
    subject?: string | null;
    from?: { emailAddress?: { address?: string | null } } | null;
    categories?: string[] | null;
    '@removed'?: unknown;
  }>;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

const FIRST_ROUND = (mailbox: string) =>
  `/users/${encodeURIComponent(mailbox)}/mailFolders/inbox/messages/delta?$select=id,internetMessageId,subject,from,categories`;

/**
 * The safety net behind notifications (docs/microsoft-365.md §4.10): follows the mailbox's delta
 * link and applies every changed message's categories to the team state. The first round only
 * records where "now" is — the mailbox's history is not replayed, the add-in and the notifications
 * cover what happens from then on. A delta link Graph no longer takes starts a new round.
 * Returns how many changed messages were applied.
 */
export async function catchUpByDelta(deps: OutlookSyncDeps, row: OutlookSubscriptionRow): Promise<number> {
  const microsoftTenantId = await microsoftTenantIdFor(deps.db, row.tenant_id);
  if (!microsoftTenantId) return 0;
  const graph = deps.graphFor(microsoftTenantId);
  const replay = row.delta_link !== null;
  let url = row.delta_link ?? FIRST_ROUND(row.mailbox_object_id);
  let applied = 0;
  const changed: MessageCopy[] = [];
  for (;;) {
    let page: DeltaPage;
    try {
      page = await graph.json<DeltaPage>({ path: url, what: 'delta query on messages' });
    } catch (error) {
      const status = graphFailureOf(error)?.graphStatus;
      if (replay && status !== undefined && status >= 400 && status < 500 && status !== 429) {
        await saveDeltaLink(deps, row, null);
        return 0;
      }
      throw error;
    }
    if (replay) {
      for (const message of page.value) {
        if (message['@removed'] !== undefined) continue;
        changed.push({
          id: message.id,
          internetMessageId: message.internetMessageId ?? '',
          subject: message.subject ?? '',
          fromAddress: message.from?.emailAddress?.address ?? '',
          categories: message.categories ?? [],
        });
      }
    }
    if (page['@odata.nextLink']) {
      url = page['@odata.nextLink'];
      continue;
    }
    for (const copy of changed) {
      await applyCopyToTeam(deps, row.tenant_id, row.mailbox_object_id, copy);
      applied += 1;
    }
    await saveDeltaLink(deps, row, page['@odata.deltaLink'] ?? null);
    return applied;
  }
}

async function saveDeltaLink(deps: OutlookSyncDeps, row: OutlookSubscriptionRow, link: string | null) {
  await withTenant(deps.db, row.tenant_id, (tx) =>
    tx.query(
      'update outlook_subscriptions set delta_link = $3, updated_at = now() where tenant_id = $1 and id = $2',
      [row.tenant_id, row.id, link],
    ),
  );
}
