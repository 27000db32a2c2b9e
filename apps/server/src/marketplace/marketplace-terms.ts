import { findPlan, isPlanId, type Plan } from '../billing/plans.js';
import { AppError } from '../errors/app-error.js';
import type { SaasSubscription } from './marketplace-client.js';

const DAY = 86_400_000;

export interface MarketplaceTerms {
  plan: Plan;
  seats: number;
  termUnit: 'P1M' | 'P1Y';
  interval: 'month' | 'year';
  periodStart: Date;
  /** The end of the term's last day: the marketplace names the last day itself (`endDate`). */
  periodEnd: Date;
}

/**
 * What a marketplace subscription means in our terms: the offer's plan ids are our plan table's ids
 * (Partner Center lists Team, Transfer and Suite with them), its quantity is the seats of each module
 * the plan includes, P1M/P1Y are the monthly and yearly terms. A term not started yet (before
 * activation) is taken as starting now.
 */
export function marketplaceTerms(
  subscription: Pick<SaasSubscription, 'planId' | 'quantity' | 'term'>,
  now: Date,
  planId = subscription.planId,
  quantity = subscription.quantity,
): MarketplaceTerms {
  if (!isPlanId(planId))
    throw new AppError(
      409,
      'marketplace_plan_unknown',
      `The marketplace plan “${planId}” is not one Mailissa sells.`,
    );
  if (!quantity)
    throw new AppError(409, 'marketplace_purchase_invalid', 'The purchase names no number of users.');
  const termUnit = subscription.term?.termUnit === 'P1Y' ? 'P1Y' : 'P1M';
  const start = subscription.term?.startDate ? new Date(subscription.term.startDate) : now;
  const lastDay = subscription.term?.endDate ? new Date(subscription.term.endDate) : null;
  let periodEnd: Date;
  if (lastDay && !Number.isNaN(lastDay.getTime())) periodEnd = new Date(lastDay.getTime() + DAY);
  else {
    periodEnd = new Date(start);
    if (termUnit === 'P1M') periodEnd.setUTCMonth(periodEnd.getUTCMonth() + 1);
    else periodEnd.setUTCFullYear(periodEnd.getUTCFullYear() + 1);
  }
  return {
    plan: findPlan(planId),
    seats: quantity,
    termUnit,
    interval: termUnit === 'P1Y' ? 'year' : 'month',
    periodStart: Number.isNaN(start.getTime()) ? now : start,
    periodEnd,
  };
}
