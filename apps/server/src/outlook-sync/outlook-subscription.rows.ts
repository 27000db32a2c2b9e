import type { Queryable } from '../db/database.js';

export interface OutlookSubscriptionRow {
  id: string;
  tenant_id: string;
  mailbox_object_id: string;
  graph_subscription_id: string | null;
  client_state_hash: Buffer;
  expires_at: Date | null;
  delta_link: string | null;
}

const COLUMNS =
  'id, tenant_id, mailbox_object_id, graph_subscription_id, client_state_hash, expires_at, delta_link';

export async function subscriptionsOfTenant(
  tx: Queryable,
  tenantId: string,
): Promise<OutlookSubscriptionRow[]> {
  const result = await tx.query<OutlookSubscriptionRow>(
    `select ${COLUMNS} from outlook_subscriptions where tenant_id = $1 order by mailbox_object_id`,
    [tenantId],
  );
  return result.rows;
}

export async function subscriptionById(
  tx: Queryable,
  tenantId: string,
  id: string,
): Promise<OutlookSubscriptionRow | undefined> {
  const result = await tx.query<OutlookSubscriptionRow>(
    `select ${COLUMNS} from outlook_subscriptions where tenant_id = $1 and id = $2`,
    [tenantId, id],
  );
  return result.rows[0];
}

export async function subscriptionByGraphId(
  tx: Queryable,
  tenantId: string,
  graphSubscriptionId: string,
): Promise<OutlookSubscriptionRow | undefined> {
  const result = await tx.query<OutlookSubscriptionRow>(
    `select ${COLUMNS} from outlook_subscriptions where tenant_id = $1 and graph_subscription_id = $2`,
    [tenantId, graphSubscriptionId],
  );
  return result.rows[0];
}

export async function subscriptionOfMailbox(
  tx: Queryable,
  tenantId: string,
  mailboxObjectId: string,
): Promise<OutlookSubscriptionRow | undefined> {
  const result = await tx.query<OutlookSubscriptionRow>(
    `select ${COLUMNS} from outlook_subscriptions where tenant_id = $1 and mailbox_object_id = $2`,
    [tenantId, mailboxObjectId],
  );
  return result.rows[0];
}
