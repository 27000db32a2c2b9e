import type { Database, Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { TENANT_CONFIG_CHANNEL } from '../targets/bump-tenant-config.js';
import type { MarketplaceClient, SaasOperation } from './marketplace-client.js';
import { marketplaceTerms } from './marketplace-terms.js';

export const MARKETPLACE_ACTIONS = [
  'ChangePlan',
  'ChangeQuantity',
  'Suspend',
  'Reinstate',
  'Unsubscribe',
  'Renew',
] as const;
export type MarketplaceAction = (typeof MARKETPLACE_ACTIONS)[number];

/** The ones Microsoft waits for us to accept or reject (PATCH of the operation); the rest only notify. */
const NEEDS_ACK: ReadonlySet<MarketplaceAction> = new Set(['ChangePlan', 'ChangeQuantity', 'Reinstate']);
/** Statuses in which an operation is still to be applied by us. */
const OPEN_STATUSES = new Set(['NotStarted', 'InProgress', 'Succeeded']);

export interface WebhookNotice {
  /** The operation id. */
  id: string;
  subscriptionId: string;
  action: MarketplaceAction;
}

export type OperationOutcome = 'applied' | 'rejected' | 'duplicate' | 'ignored';

const unconfirmed = (detail: string) =>
  new AppError(
    400,
    'marketplace_operation_unconfirmed',
    'The marketplace does not confirm this operation for this subscription.',
    { detail },
  );

async function assignedLicences(
  tx: Queryable,
  tenantId: string,
): Promise<Record<'team' | 'transfer', number>> {
  const counts = await tx.query<{ module: 'team' | 'transfer'; n: number }>(
    'select module, count(*)::int as n from licence_assignments where tenant_id = $1 group by module',
    [tenantId],
  );
  const result = { team: 0, transfer: 0 };
  for (const row of counts.rows) result[row.module] = row.n;
  return result;
}

/**
 * Applies one webhook notification, once, after the operations API confirmed it (Microsoft's advice:
 * the webhook body alone is not trusted). The confirmed operation's plan and quantity are applied,
 * not the body's. A change we cannot honour — fewer users than licences assigned, a plan that drops a
 * module still in use, a plan we do not sell — is rejected (PATCH Failure), as a seat change in the
 * portal is refused (decision 081). The operation id and its outcome are recorded in the transaction
 * that applies it; Microsoft hears our answer after the commit (no network call waits inside a
 * transaction). If that answer fails, the webhook fails and Microsoft's retry finds the operation
 * recorded and still open, and sends the recorded answer again: a redelivery never applies twice.
 */
export async function applyMarketplaceOperation(
  deps: { db: Database; client: MarketplaceClient },
  notice: WebhookNotice,
  now: Date,
): Promise<OperationOutcome> {
  const seen = await deps.db.query<{ outcome: 'applied' | 'rejected' }>(
    'select outcome from marketplace_operations where id = $1',
    [notice.id],
  );
  const recorded = seen.rows[0];
  if (recorded) {
    if (NEEDS_ACK.has(notice.action)) await answerIfOpen(deps.client, notice, recorded.outcome);
    return 'duplicate';
  }
  const local = await deps.db.query<{ tenant_id: string }>(
    'select tenant_id from marketplace_subscriptions where id = $1',
    [notice.subscriptionId],
  );
  const tenantId = local.rows[0]?.tenant_id;
  const operation = await deps.client.getOperation(notice.subscriptionId, notice.id);
  if (!operation) throw unconfirmed('no such operation');
  if (
    operation.subscriptionId.toLowerCase() !== notice.subscriptionId.toLowerCase() ||
    operation.action !== notice.action
  )
    throw unconfirmed(`operation is ${operation.action} of ${operation.subscriptionId}`);
  // Not activated here (or its tenant is gone): nothing of ours to change.
  if (!tenantId) return 'ignored';
  // Failed or Conflict: Microsoft settled it otherwise; nothing to apply.
  if (!OPEN_STATUSES.has(operation.status)) return 'ignored';
  const fresh = notice.action === 'Renew' ? await deps.client.getSubscription(notice.subscriptionId) : null;

  const outcome = await deps.db.transaction(async (tx): Promise<OperationOutcome> => {
    const rows = await tx.query<{ plan_id: string; quantity: number; term_unit: 'P1M' | 'P1Y' }>(
      'select plan_id, quantity, term_unit from marketplace_subscriptions where tenant_id = $1 and id = $2 for update',
      [tenantId, notice.subscriptionId],
    );
    const current = rows.rows[0];
    if (!current) return 'ignored';
    const change = await changeFor(tx, tenantId, notice.action, operation, current, fresh, now);
    const inserted = await tx.query(
      `insert into marketplace_operations (tenant_id, id, subscription_id, action, outcome, received_at)
       values ($1, $2, $3, $4, $5, $6) on conflict (id) do nothing returning id`,
      [
        tenantId,
        notice.id,
        notice.subscriptionId,
        notice.action,
        change.kind === 'reject' ? 'rejected' : 'applied',
        now,
      ],
    );
    if (inserted.rowCount === 0) return 'duplicate';
    if (change.kind === 'reject') return 'rejected';
    await tx.query(
      `update marketplace_subscriptions set plan_id = $3, quantity = $4, status = $5, updated_at = $6
        where tenant_id = $1 and id = $2`,
      [tenantId, notice.subscriptionId, change.planId, change.quantity, change.status, now],
    );
    const terms = marketplaceTerms(
      fresh ?? { planId: change.planId, quantity: change.quantity, term: { termUnit: current.term_unit } },
      now,
      change.planId,
      change.quantity,
    );
    const seats = (module: 'team' | 'transfer') => (terms.plan.modules.includes(module) ? terms.seats : 0);
    // Only while this marketplace subscription is still the tenant's one (it may have bought anew since).
    await tx.query(
      `update subscriptions set plan = $3, seats_team = $4, seats_transfer = $5, state = $6,
              cancelled_at = case when $6 = 'cancelled' then coalesce(cancelled_at, $7) else null end,
              period_start = coalesce($8, period_start), period_end = coalesce($9, period_end)
        where tenant_id = $1 and marketplace_subscription_id = $2`,
      [
        tenantId,
        notice.subscriptionId,
        terms.plan.id,
        seats('team'),
        seats('transfer'),
        change.state,
        now,
        fresh ? terms.periodStart : null,
        fresh ? terms.periodEnd : null,
      ],
    );
    await tx.query('select pg_notify($1, $2)', [TENANT_CONFIG_CHANNEL, tenantId]);
    return 'applied';
  });
  if (
    (outcome === 'applied' || outcome === 'rejected') &&
    NEEDS_ACK.has(notice.action) &&
    operation.status !== 'Succeeded'
  )
    await deps.client.acknowledge(
      notice.subscriptionId,
      notice.id,
      outcome === 'applied' ? 'Success' : 'Failure',
    );
  return outcome;
}

/** Sends the recorded answer again while Microsoft still waits for it (our earlier PATCH was lost). */
async function answerIfOpen(
  client: MarketplaceClient,
  notice: WebhookNotice,
  recorded: 'applied' | 'rejected',
): Promise<void> {
  const operation = await client.getOperation(notice.subscriptionId, notice.id);
  if (operation?.status === 'InProgress' || operation?.status === 'NotStarted')
    await client.acknowledge(
      notice.subscriptionId,
      notice.id,
      recorded === 'applied' ? 'Success' : 'Failure',
    );
}

type Change =
  | { kind: 'reject' }
  | {
      kind: 'apply';
      planId: string;
      quantity: number;
      status: 'Subscribed' | 'Suspended' | 'Unsubscribed';
      state: 'active' | 'suspended' | 'cancelled';
    };

async function changeFor(
  tx: Queryable,
  tenantId: string,
  action: MarketplaceAction,
  operation: SaasOperation,
  current: { plan_id: string; quantity: number },
  fresh: { saasSubscriptionStatus: string } | null,
  now: Date,
): Promise<Change> {
  const keep = { kind: 'apply' as const, planId: current.plan_id, quantity: current.quantity };
  switch (action) {
    case 'ChangePlan': {
      const planId = operation.planId ?? '';
      let modules: readonly string[];
      try {
        modules = marketplaceTerms({ planId, quantity: current.quantity }, now).plan.modules;
      } catch {
        return { kind: 'reject' };
      }
      const assigned = await assignedLicences(tx, tenantId);
      const dropsUsedModule = (['team', 'transfer'] as const).some(
        (module) => !modules.includes(module) && assigned[module] > 0,
      );
      if (dropsUsedModule) return { kind: 'reject' };
      return { ...keep, planId, status: 'Subscribed', state: 'active' };
    }
    case 'ChangeQuantity': {
      const quantity = operation.quantity ?? 0;
      const assigned = await assignedLicences(tx, tenantId);
      if (quantity < 1 || quantity < Math.max(assigned.team, assigned.transfer)) return { kind: 'reject' };
      return { ...keep, quantity, status: 'Subscribed', state: 'active' };
    }
    case 'Suspend':
      return { ...keep, status: 'Suspended', state: 'suspended' };
    case 'Reinstate':
      return { ...keep, status: 'Subscribed', state: 'active' };
    case 'Unsubscribe':
      return { ...keep, status: 'Unsubscribed', state: 'cancelled' };
    case 'Renew':
      return fresh?.saasSubscriptionStatus === 'Suspended'
        ? { ...keep, status: 'Suspended', state: 'suspended' }
        : { ...keep, status: 'Subscribed', state: 'active' };
  }
}
