import type { Database } from '../db/database.js';
import { withTenant } from '../db/database.js';
import type { GraphClient } from '../graph/graph-client.js';
import {
  changeMessageCategories,
  ensureMasterCategory,
  type OutlookCategoryColor,
} from '../graph/outlook-categories.js';
import { recordMicrosoftArtefact } from '../rights/microsoft-artefacts.js';

/**
 * The filed marker (issue 10 item 3): the target's Outlook category on the transferred mail, so the
 * mail list shows what was filed. The category is made to exist in the mailbox's master list in the
 * target's colour first (else Outlook shows it uncoloured), recorded as Mailissa's artefact when this
 * call created it, then added to the mail's own categories without touching the others. App-only,
 * like reading the mail (decision 010): Mail.ReadWrite and MailboxSettings.ReadWrite.
 */
export async function markFiled(
  deps: { db: Database; graph: GraphClient; now: () => Date },
  where: { tenantId: string; mailboxObjectId: string; messageId: string },
  category: { displayName: string; color: string | null },
): Promise<string[] | undefined> {
  const ensured = await ensureMasterCategory(deps.graph, where.mailboxObjectId, {
    displayName: category.displayName,
    color: (category.color ?? 'none') as OutlookCategoryColor,
  });
  if (ensured.createdId) {
    const graphId = ensured.createdId;
    await withTenant(deps.db, where.tenantId, (tx) =>
      recordMicrosoftArtefact(
        tx,
        where.tenantId,
        {
          kind: 'master_category',
          mailboxObjectId: where.mailboxObjectId,
          graphId,
          label: ensured.displayName,
        },
        deps.now(),
      ),
    );
  }
  // The name as the mailbox spells it, so a case variant does not add a second category.
  return changeMessageCategories(deps.graph, where.mailboxObjectId, where.messageId, {
    add: [ensured.displayName],
  });
}
