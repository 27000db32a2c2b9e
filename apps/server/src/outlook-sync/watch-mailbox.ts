import { withTenant } from '../db/database.js';
import { graphFailureOf } from '../graph/graph-errors.js';
import { forgetMicrosoftArtefact, recordMicrosoftArtefact } from '../rights/microsoft-artefacts.js';
import { newClientState } from './client-state.js';
import { type OutlookSubscriptionRow, subscriptionOfMailbox } from './outlook-subscription.rows.js';
import { microsoftTenantIdFor, type OutlookSyncDeps } from './outlook-sync-deps.js';
import { RENEW_BEFORE_MS, SUBSCRIPTION_LIFETIME_MS } from './outlook-sync-queues.js';

interface GraphSubscription {
  id: string;
  expirationDateTime: string;
}

/**
 * Creates a Graph subscription on a mailbox's messages (docs/microsoft-365.md §4.9) and records it;
 * Graph calls our notification endpoint for the validation handshake before it answers. A mailbox
 * already watched keeps its subscription. The clientState secret leaves this function only to Graph.
 */
export async function watchMailbox(
  deps: OutlookSyncDeps,
  tenantId: string,
  mailboxObjectId: string,
): Promise<OutlookSubscriptionRow> {
  const existing = await withTenant(deps.db, tenantId, (tx) =>
    subscriptionOfMailbox(tx, tenantId, mailboxObjectId),
  );
  if (existing?.graph_subscription_id && existing.expires_at && existing.expires_at > deps.now()) {
    return existing;
  }
  const microsoftTenantId = await microsoftTenantIdFor(deps.db, tenantId);
  if (!microsoftTenantId) throw new Error(`tenant ${tenantId} not found`);
  const clientState = newClientState();
  const created = await deps.graphFor(microsoftTenantId).json<GraphSubscription>({
    method: 'POST',
    path: '/subscriptions',
    body: {
      changeType: 'created,updated',
      notificationUrl: deps.notificationUrl,
      lifecycleNotificationUrl: deps.lifecycleNotificationUrl,
      resource: `/users/${mailboxObjectId}/messages`,
      expirationDateTime: new Date(deps.now().getTime() + SUBSCRIPTION_LIFETIME_MS).toISOString(),
      clientState: clientState.secret,
    },
    what: 'create a mail subscription',
  });
  return withTenant(deps.db, tenantId, async (tx) => {
    const result = await tx.query<OutlookSubscriptionRow>(
      `insert into outlook_subscriptions
         (tenant_id, mailbox_object_id, graph_subscription_id, client_state_hash, expires_at)
       values ($1, $2, $3, $4, $5)
       on conflict (tenant_id, mailbox_object_id) do update
         set graph_subscription_id = excluded.graph_subscription_id,
             client_state_hash = excluded.client_state_hash,
             expires_at = excluded.expires_at, updated_at = now()
       returning id, tenant_id, mailbox_object_id, graph_subscription_id, client_state_hash, expires_at,
                 delta_link`,
      [tenantId, mailboxObjectId, created.id, clientState.hash, new Date(created.expirationDateTime)],
    );
    const row = result.rows[0];
    if (!row) throw new Error('recording the subscription returned no row');
    // Ours to remove again when the tenancy ends (rights/remove-microsoft-artefacts.ts).
    await recordMicrosoftArtefact(
      tx,
      tenantId,
      { kind: 'subscription', mailboxObjectId, graphId: created.id, label: 'mail change notifications' },
      deps.now(),
    );
    return row;
  });
}

/**
 * Extends a subscription before it lapses (or when Graph asks for reauthorization). One Graph no
 * longer knows (404) is created again; the delta catch-up then covers the gap.
 */
export async function renewSubscription(deps: OutlookSyncDeps, row: OutlookSubscriptionRow): Promise<void> {
  if (!row.graph_subscription_id) {
    await watchMailbox(deps, row.tenant_id, row.mailbox_object_id);
    return;
  }
  const microsoftTenantId = await microsoftTenantIdFor(deps.db, row.tenant_id);
  if (!microsoftTenantId) return;
  const expires = new Date(deps.now().getTime() + SUBSCRIPTION_LIFETIME_MS);
  try {
    const renewed = await deps.graphFor(microsoftTenantId).json<GraphSubscription>({
      method: 'PATCH',
      path: `/subscriptions/${encodeURIComponent(row.graph_subscription_id)}`,
      body: { expirationDateTime: expires.toISOString() },
      what: 'renew a mail subscription',
    });
    await withTenant(deps.db, row.tenant_id, (tx) =>
      tx.query(
        'update outlook_subscriptions set expires_at = $3, updated_at = now() where tenant_id = $1 and id = $2',
        [row.tenant_id, row.id, new Date(renewed.expirationDateTime)],
      ),
    );
  } catch (error) {
    if (graphFailureOf(error)?.graphStatus !== 404) throw error;
    await forgetGraphSubscription(deps, row);
    await watchMailbox(deps, row.tenant_id, row.mailbox_object_id);
  }
}

/** Graph removed the subscription: keep the row (and its delta link), drop the dead id. */
export async function forgetGraphSubscription(
  deps: OutlookSyncDeps,
  row: OutlookSubscriptionRow,
): Promise<void> {
  await withTenant(deps.db, row.tenant_id, (tx) =>
    tx.query(
      `update outlook_subscriptions set graph_subscription_id = null, expires_at = null, updated_at = now()
        where tenant_id = $1 and id = $2`,
      [row.tenant_id, row.id],
    ),
  );
  if (row.graph_subscription_id) {
    const graphId = row.graph_subscription_id;
    await withTenant(deps.db, row.tenant_id, (tx) =>
      forgetMicrosoftArtefact(tx, row.tenant_id, { kind: 'subscription', graphId }),
    );
  }
}

/** Stops watching a mailbox no team needs any more: Graph's subscription first, then our row. */
export async function unwatchMailbox(deps: OutlookSyncDeps, row: OutlookSubscriptionRow): Promise<void> {
  const microsoftTenantId = await microsoftTenantIdFor(deps.db, row.tenant_id);
  if (microsoftTenantId && row.graph_subscription_id) {
    const response = await deps.graphFor(microsoftTenantId).request({
      method: 'DELETE',
      path: `/subscriptions/${encodeURIComponent(row.graph_subscription_id)}`,
      accept: [404],
      what: 'delete a mail subscription',
    });
    await response.body?.cancel();
  }
  await withTenant(deps.db, row.tenant_id, async (tx) => {
    await tx.query('delete from outlook_subscriptions where tenant_id = $1 and id = $2', [
      row.tenant_id,
      row.id,
    ]);
    if (row.graph_subscription_id) {
      await forgetMicrosoftArtefact(tx, row.tenant_id, {
        kind: 'subscription',
        graphId: row.graph_subscription_id,
      });
    }
  });
}

/** Whether a subscription should be renewed now. */
export function dueForRenewal(row: OutlookSubscriptionRow, now: Date): boolean {
  return !row.expires_at || row.expires_at.getTime() - now.getTime() < RENEW_BEFORE_MS;
}
