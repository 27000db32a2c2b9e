import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { TENANT_CONFIG_CHANNEL } from '../targets/bump-tenant-config.js';

/** One extension adds at most this many days. */
export const MAX_TRIAL_EXTENSION_DAYS = 30;
/** However often extended, a trial never ends further ahead than this. */
export const MAX_TRIAL_AHEAD_DAYS = 90;
const DAY = 86_400_000;

/**
 * The operator extends a free trial by 1 to 30 days (decision 144): from its end, or from now when
 * it has run out (which lets the tenant in again). Paid subscriptions have no trial to extend, and a
 * trial never reaches more than 90 days ahead, however often extended. The tenant's audit log names
 * the operator; every server forgets its cached sign-in decision for the tenant.
 */
export async function extendTrial(
  db: Database,
  input: { tenantId: string; days: number; operatorEmail: string },
  now: Date,
): Promise<{ periodEnd: Date }> {
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > MAX_TRIAL_EXTENSION_DAYS)
    throw new AppError(400, 'invalid_request', `days: a whole number from 1 to ${MAX_TRIAL_EXTENSION_DAYS}.`);
  return db.transaction(async (tx) => {
    const found = await tx.query<{
      state: string;
      period_end: Date;
      provider_subscription_id: string | null;
    }>(
      'select state, period_end, provider_subscription_id from subscriptions where tenant_id = $1 for update',
      [input.tenantId],
    );
    const subscription = found.rows[0];
    if (!subscription) throw new AppError(404, 'not_found', 'This tenant has no subscription.');
    if (!['trial', 'expired'].includes(subscription.state) || subscription.provider_subscription_id !== null)
      throw new AppError(
        409,
        'trial_not_extendable',
        `This tenant's subscription is ${subscription.state}, not a free trial.`,
      );
    const from = Math.max(subscription.period_end.getTime(), now.getTime());
    const periodEnd = new Date(from + input.days * DAY);
    if (periodEnd.getTime() > now.getTime() + MAX_TRIAL_AHEAD_DAYS * DAY)
      throw new AppError(
        409,
        'trial_not_extendable',
        `days: the trial would end more than ${MAX_TRIAL_AHEAD_DAYS} days from today.`,
      );
    await tx.query(`update subscriptions set period_end = $2, state = 'trial' where tenant_id = $1`, [
      input.tenantId,
      periodEnd,
    ]);
    await recordAuditEvent(
      tx,
      input.tenantId,
      { system: `operator ${input.operatorEmail}` },
      {
        action: 'trial.extended',
        subject: { type: 'subscription', id: input.tenantId, label: 'trial' },
        before: { periodEnd: subscription.period_end.toISOString(), state: subscription.state },
        after: { periodEnd: periodEnd.toISOString(), state: 'trial', days: input.days },
      },
      now,
    );
    // Servers cache who may sign in (decision 018): tell every one of them.
    await tx.query('select pg_notify($1, $2)', [TENANT_CONFIG_CHANNEL, input.tenantId]);
    return { periodEnd };
  });
}
