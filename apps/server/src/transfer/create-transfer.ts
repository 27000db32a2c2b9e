import type { CreateTransferBody, DuplicateChoice, Transfer } from '@mailissa/contracts';
import type { Principal } from '../auth/authenticate.js';
import { connectorFor } from '../connectors/connector-registry.js';
import { requireConnectedAccount } from '../connectors/kit/require-connected-account.js';
import { type Database, withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import type { DelegatedAccess } from '../graph/delegated-access.js';
import type { GraphClient } from '../graph/graph-client.js';
import { graphFailureOf } from '../graph/graph-errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { findTarget } from '../targets/find-target.js';
import type { GroupMembershipCache } from '../targets/group-membership-cache.js';
import { requireTransferLicence } from '../targets/require-transfer-licence.js';
import { requireVisibleTarget } from '../targets/require-visible-target.js';
import { requireAdminConsent } from '../tenancy/require-admin-consent.js';
import { findDuplicates, rememberDuplicateChoice, rememberedDuplicateChoice } from './find-duplicates.js';
import { getTransfer } from './get-transfer.js';
import { getMessageSummary, type MessageSummary } from './graph-mail-source.js';
import { mailIdentity, suggestionKeys } from './mail-identity.js';
import type { TransferJobData } from './transfer.schemas.js';
import { TRANSFER_JOB_OPTIONS, TRANSFER_QUEUE } from './transfer-queue.js';

/**
 * Asks Graph, app-only, for the message in the signed-in user's own mailbox: a message id from
 * someone else's mailbox (or made up) is simply not there. See docs/decisions/ on app-only access.
 */
export async function readUsersMessage(
  graph: GraphClient,
  principal: Principal,
  messageId: string,
): Promise<MessageSummary> {
  try {
    return await getMessageSummary(graph, principal.objectId, messageId);
  } catch (error) {
    const failure = graphFailureOf(error);
    if (
      failure &&
      (failure.graphStatus === 404 || failure.graphStatus === 400 || failure.graphStatus === 403)
    ) {
      throw new AppError(404, 'message_not_found', 'This mail was not found in your mailbox.', {
        detail: `Graph ${failure.graphStatus} ${failure.graphCode}`,
      });
    }
    throw error;
  }
}

/** What the transfer job reads from `transfers.options`. */
export interface StoredTransferOptions {
  attachmentIds?: string[];
  includeMail?: boolean;
  fileName?: string;
  subfolder?: string;
  /** Earlier transfers of this mail to this target whose files go before the new ones are written. */
  replaces?: string[];
  /** The existing record (issue key, card id, document UNID) the mail is added to instead of a new one. */
  linkTo?: string;
}

/** A `linkTo` the target can take: its connector links to existing records and the id has their form. */
function checkedLinkTo(connectorType: string, linkTo: string | undefined): string | undefined {
  if (linkTo === undefined) return undefined;
  const connector = connectorFor(connectorType);
  if (!connector.capabilities.includes('link_existing')) {
    throw new AppError(
      400,
      'invalid_request',
      'linkTo: this target cannot add a mail to an existing record; leave linkTo out.',
    );
  }
  const id = linkTo.trim();
  const problem = connector.recordIdProblem?.(id) ?? null;
  if (problem) throw new AppError(400, 'invalid_request', `linkTo: "${id}" ${problem}.`);
  return id;
}

/**
 * Records a transfer and queues its job in one transaction: either both exist or neither does.
 * Checks, in order: licence, admin consent, target (of this tenant, visible to the user, enabled),
 * the message (readable by the user). When this mail went to this target before, the user's choice
 * (or remembered choice, else "keep both") decides: skip answers with the earlier transfer.
 */
export async function createTransfer(
  deps: {
    db: Database;
    jobs: JobQueue;
    graph: GraphClient;
    memberships: GroupMembershipCache;
    /** On-behalf-of grants for connectors that act as the user. */
    delegated?: DelegatedAccess;
    now?: () => Date;
  },
  principal: Principal,
  body: CreateTransferBody,
): Promise<{ transfer: Transfer; skipped?: boolean }> {
  await withTenant(deps.db, principal.tenantId, async (tx) => {
    await requireTransferLicence(tx, principal.tenantId, principal.userId);
    await requireAdminConsent(tx, principal.tenantId);
  });
  const target = await requireVisibleTarget(
    deps.db,
    principal.tenantId,
    body.targetId,
    principal,
    deps.memberships,
  );
  // Microsoft targets write as the user: trade their token now, while it is at hand (decision 075).
  if (deps.delegated && connectorFor(target.connector_type).actsAsUser) {
    await deps.delegated.grant(principal, principal.accessToken);
  }
  const linkTo = checkedLinkTo(target.connector_type, body.linkTo);
  // Only connectors with folders below the target's own honour a subfolder; the others would drop it.
  if (body.subfolder?.trim() && !connectorFor(target.connector_type).listFolders) {
    throw new AppError(
      400,
      'invalid_subfolder',
      'subfolder: this target has no folders to choose from; leave subfolder out.',
    );
  }
  await requireConnectedAccount(deps.db, principal, target);

  // Outside the transaction: a Graph round trip must not hold PGlite's only connection.
  const message = await readUsersMessage(deps.graph, principal, body.messageId);
  if (message.internetMessageId && message.internetMessageId !== body.internetMessageId) {
    throw new AppError(422, 'message_mismatch', 'internetMessageId does not belong to messageId.');
  }

  const identity = mailIdentity(message);
  const keys = suggestionKeys(principal.tenantId, {
    conversationId: message.conversationId,
    sender: message.from?.emailAddress?.address,
  });
  const now = deps.now ?? (() => new Date());

  const outcome = await withTenant(deps.db, principal.tenantId, async (tx) => {
    // Checked again inside the transaction that writes, so a target switched off meanwhile is refused.
    const target = await findTarget(tx, principal.tenantId, body.targetId);
    if (!target) throw new AppError(404, 'target_not_found', 'This target does not exist.');
    if (!target.enabled) throw new AppError(409, 'target_disabled', 'This target is switched off.');
    if (body.onDuplicate && body.rememberChoice) {
      await rememberDuplicateChoice(tx, principal.tenantId, principal.userId, body.onDuplicate, now());
    }
    const duplicates = await findDuplicates(tx, principal.tenantId, target.id, identity, principal.userId);
    let choice: DuplicateChoice = 'keep_both';
    if (duplicates.length > 0) {
      choice =
        body.onDuplicate ??
        (await rememberedDuplicateChoice(tx, principal.tenantId, principal.userId)) ??
        'keep_both';
      if (choice === 'skip') return { skipped: true, id: duplicates[0]?.id ?? '' };
    }
    const options: StoredTransferOptions = {
      ...(body.attachmentIds ? { attachmentIds: body.attachmentIds } : {}),
      ...(body.includeMail !== undefined ? { includeMail: body.includeMail } : {}),
      ...(body.fileName ? { fileName: body.fileName } : {}),
      ...(body.subfolder?.trim() ? { subfolder: body.subfolder.trim() } : {}),
      ...(choice === 'replace' ? { replaces: duplicates.map((d) => d.id) } : {}),
      ...(linkTo ? { linkTo } : {}),
    };
    if (options.includeMail === false && options.attachmentIds?.length === 0) {
      throw new AppError(
        400,
        'invalid_request',
        'attachmentIds: choose the mail or at least one attachment.',
      );
    }
    const inserted = await tx.query<{ id: string }>(
      `insert into transfers (tenant_id, target_id, created_by, mailbox_object_id, message_id, internet_message_id,
                              options, mail_identity, conversation_key, sender_key, sender_domain_key)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
      [
        principal.tenantId,
        target.id,
        principal.userId,
        principal.objectId,
        body.messageId,
        body.internetMessageId,
        JSON.stringify(options),
        identity,
        keys.conversation,
        keys.sender,
        keys.domain,
      ],
    );
    const id = inserted.rows[0]?.id;
    if (!id) throw new Error('inserting a transfer returned no id');
    // In the same transaction, still as the tenant role: the transfer and its job commit (or roll
    // back) together (docs/decisions/013).
    const data: TransferJobData = { tenantId: principal.tenantId, transferId: id };
    await deps.jobs.send(TRANSFER_QUEUE, data, {
      ...TRANSFER_JOB_OPTIONS,
      singletonKey: id,
      transaction: tx,
    });
    return { skipped: false, id };
  });

  const transfer = await withTenant(deps.db, principal.tenantId, (tx) =>
    getTransfer(tx, principal.tenantId, outcome.id, principal.userId),
  );
  if (!transfer) throw new Error('a transfer vanished right after it was recorded');
  return outcome.skipped ? { transfer, skipped: true } : { transfer };
}
