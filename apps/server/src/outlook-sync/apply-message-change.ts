import { type MessageCopy, readMessageCopy } from '../graph/outlook-categories.js';
import { microsoftTenantIdFor, type OutlookSyncDeps } from './outlook-sync-deps.js';

/** Hands one copy's categories to Team through the port. */
export async function applyCopyToTeam(
  deps: OutlookSyncDeps,
  tenantId: string,
  mailboxObjectId: string,
  copy: MessageCopy,
): Promise<void> {
  if (!copy.internetMessageId) return;
  await deps.ports.applyCategoryChange(deps.db, {
    tenantId,
    userObjectId: mailboxObjectId,
    internetMessageId: copy.internetMessageId,
    fingerprint: deps.ports.fingerprintOf({ fromAddress: copy.fromAddress, subject: copy.subject }),
    categoryNames: copy.categories,
    now: deps.now(),
  });
}

/**
 * A notification said a message changed: read its categories now (notifications carry none, §4.9)
 * and apply them to the team state. A message that is gone meanwhile changes nothing.
 */
export async function applyMessageChange(
  deps: OutlookSyncDeps,
  job: { tenantId: string; mailboxObjectId: string; messageId: string },
): Promise<void> {
  const microsoftTenantId = await microsoftTenantIdFor(deps.db, job.tenantId);
  if (!microsoftTenantId) return;
  const copy = await readMessageCopy(deps.graphFor(microsoftTenantId), job.mailboxObjectId, job.messageId);
  if (!copy) return;
  await applyCopyToTeam(deps, job.tenantId, job.mailboxObjectId, copy);
}
