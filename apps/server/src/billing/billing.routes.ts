import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { AppError } from '../errors/app-error.js';
import { handleProviderEvent } from './handle-provider-event.js';
import type { PaymentProvider } from './payments/payment-provider.js';

const WEBHOOK_BODY_LIMIT = 512 * 1024;

/**
 * The payment provider's webhook: public (Stripe calls it), trusted only through the signature over
 * the exact bytes received, so the body is kept raw here rather than parsed as JSON.
 */
export const billingRoutes: FastifyPluginAsyncZod<{
  context: AppContext;
  provider: PaymentProvider | null;
}> = async (app, { context, provider }) => {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );
  app.post(
    '/api/billing/stripe/webhook',
    {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      schema: {
        tags: ['billing'],
        summary: 'Stripe webhook: subscription and invoice events, verified by their Stripe-Signature',
        headers: z.object({ 'stripe-signature': z.string().min(1).max(2000) }),
        response: {
          200: z.object({ received: z.literal(true), outcome: z.enum(['applied', 'duplicate', 'ignored']) }),
        },
      },
    },
    async (request) => {
      if (!provider) throw new AppError(503, 'payments_not_configured', 'No payment provider is configured.');
      if (!Buffer.isBuffer(request.body))
        throw new AppError(415, 'unsupported_media_type', 'body: send the event as application/json.');
      const now = context.now();
      const event = provider.verifyWebhook(request.body, request.headers['stripe-signature'], now);
      const outcome = await handleProviderEvent(
        { db: context.db, provider, jobs: context.jobs, config: context.config },
        event,
        now,
      );
      return { received: true as const, outcome };
    },
  );
};
