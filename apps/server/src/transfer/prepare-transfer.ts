import type { PrepareTransferResponse } from '@mailissa/contracts';
import type { Principal } from '../auth/authenticate.js';
import { connectorFor } from '../connectors/connector-registry.js';
import { type Database, withTenant } from '../db/database.js';
import type { GraphClient } from '../graph/graph-client.js';
import type { GroupMembershipCache } from '../targets/group-membership-cache.js';
import { requireVisibleTarget } from '../targets/require-visible-target.js';
import { readUsersMessage } from './create-transfer.js';
import { renderFileName } from './file-name-template.js';
import { findDuplicates, rememberedDuplicateChoice } from './find-duplicates.js';
import { getTargetTransferOptions } from './get-target-transfer-options.js';
import { listAttachments } from './graph-mail-source.js';
import { mailIdentity } from './mail-identity.js';

/**
 * What the add-in shows before sending a mail to a target: the attachments with the default choice,
 * the file name from the target's template, whether folders can be browsed, and earlier transfers of
 * this mail to this target (so it can ask keep both / replace / skip) with the user's remembered choice.
 */
export async function prepareTransfer(
  deps: { db: Database; graph: GraphClient; memberships: GroupMembershipCache },
  principal: Principal,
  query: { messageId: string; internetMessageId: string; targetId: string },
): Promise<PrepareTransferResponse> {
  const target = await requireVisibleTarget(
    deps.db,
    principal.tenantId,
    query.targetId,
    principal,
    deps.memberships,
  );
  const message = await readUsersMessage(deps.graph, principal, query.messageId);
  const attachments = await listAttachments(deps.graph, principal.objectId, query.messageId);
  const identity = mailIdentity(message);
  const stored = await withTenant(deps.db, principal.tenantId, async (tx) => ({
    options: await getTargetTransferOptions(tx, principal.tenantId, target.id),
    duplicates: await findDuplicates(tx, principal.tenantId, target.id, identity, principal.userId),
    remembered: await rememberedDuplicateChoice(tx, principal.tenantId, principal.userId),
  }));
  const from = message.from?.emailAddress?.address ?? '';
  const fromName = message.from?.emailAddress?.name ?? '';
  return {
    fileName: renderFileName(stored.options.fileNameTemplate, {
      receivedAt: message.receivedDateTime ? new Date(message.receivedDateTime) : new Date(0),
      from,
      fromName,
      subject: message.subject ?? '',
      to: (message.toRecipients ?? []).flatMap((r) => r.emailAddress?.address ?? []).join(', '),
    }),
    attachments,
    folders: Boolean(connectorFor(target.connector_type).listFolders),
    linkExisting: connectorFor(target.connector_type).capabilities.includes('link_existing'),
    duplicates: stored.duplicates.map(({ subfolder: _subfolder, ...duplicate }) => duplicate),
    rememberedChoice: stored.remembered,
  };
}
