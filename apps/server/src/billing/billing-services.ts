import type { Config } from '../config/config.js';
import type { PaymentProvider } from './payments/payment-provider.js';
import { createStripeProvider } from './payments/stripe-provider.js';
import { createViesClient, type VatChecker } from './tax/vies-client.js';

export interface BillingServices {
  /** null: no payment provider configured — nothing can be bought, only trials started. */
  provider: PaymentProvider | null;
  checkVat: VatChecker;
}

export function createBillingServices(config: Config): BillingServices {
  return {
    provider: config.billing.stripe ? createStripeProvider(config.billing.stripe) : null,
    checkVat: createViesClient(config.billing.viesBaseUrl, config.operatorIdentity.vatId),
  };
}
