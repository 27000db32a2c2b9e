import { withTenant } from '../db/database.js';
import {
  changeMessageCategories,
  ensureMasterCategory,
  findMessageCopies,
} from '../graph/outlook-categories.js';
import { recordMicrosoftArtefact } from '../rights/microsoft-artefacts.js';
import type { OutlookSyncDeps } from './outlook-sync-deps.js';
import type { MirrorCategoriesJob } from './outlook-sync-ports.js';

export interface MirrorOutcome {
  mailboxes: number;
  copies: number;
}

/**
 * The `team.mirror-categories` worker (issue 9 item 5): puts the team mail's categories onto every
 * member's copy — each category first into the mailbox's master list with the team's colour, then
 * onto the message — and takes off team categories the mail no longer has. The member's own
 * categories stay. A failure throws, so the queue retries the whole job; every step is idempotent.
 */
export async function mirrorCategories(
  deps: OutlookSyncDeps,
  job: MirrorCategoriesJob,
): Promise<MirrorOutcome> {
  const plan = await deps.ports.loadMirrorPlan(deps.db, job);
  if (!plan) return { mailboxes: 0, copies: 0 };
  const graph = deps.graphFor(plan.microsoftTenantId);
  const wanted = plan.categories.map((c) => c.name);
  const remove = plan.teamCategoryNames.filter(
    (name) => !wanted.some((w) => w.toLowerCase() === name.toLowerCase()),
  );
  let copies = 0;
  for (const mailbox of plan.mailboxes) {
    for (const category of plan.categories) {
      const ensured = await ensureMasterCategory(graph, mailbox.userObjectId, {
        displayName: category.name,
        color: category.color,
      });
      // Ours to remove again when the tenancy ends (rights/remove-microsoft-artefacts.ts).
      if (ensured.createdId) {
        const graphId = ensured.createdId;
        await withTenant(deps.db, job.tenantId, (tx) =>
          recordMicrosoftArtefact(
            tx,
            job.tenantId,
            { kind: 'master_category', mailboxObjectId: mailbox.userObjectId, graphId, label: category.name },
            deps.now(),
          ),
        );
      }
    }
    const found = await findMessageCopies(
      graph,
      mailbox.userObjectId,
      mailbox.internetMessageId,
      (copy) =>
        deps.ports.fingerprintOf({ fromAddress: copy.fromAddress, subject: copy.subject }) ===
        mailbox.fingerprint,
    );
    for (const copy of found) {
      await changeMessageCategories(graph, mailbox.userObjectId, copy.id, { add: wanted, remove });
      copies += 1;
    }
    if (found.length > 0) {
      await deps.ports.rememberCopy(deps.db, job, {
        mailboxObjectId: mailbox.userObjectId,
        categoryIds: plan.categories.map((c) => c.id),
        now: deps.now(),
      });
    }
  }
  return { mailboxes: plan.mailboxes.length, copies };
}
