import {
  createCreditNoteSchema,
  idParamsSchema,
  operatorInvoiceSchema,
  operatorInvoicesQuerySchema,
  operatorInvoicesSchema,
  operatorSubscriptionsSchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { AppError } from '../errors/app-error.js';
import { errorResponses } from '../http/error-schemas.js';
import { requireOperatorSession } from '../web-session/authenticate-session.js';
import { issueCreditNote } from './invoices/issue-credit-note.js';
import { listOperatorInvoices, listOperatorSubscriptions } from './list-operator-billing.js';
import type { PaymentProvider } from './payments/payment-provider.js';

const TAG = 'operator';

/**
 * The operator console's billing views: subscriptions (overdue first), the invoices and credit notes
 * issued, and issuing a credit note (a refund through the provider) on an invoice.
 */
export const operatorBillingRoutes: FastifyPluginAsyncZod<{
  context: AppContext;
  provider: PaymentProvider | null;
}> = async (app, { context, provider }) => {
  const { db } = context;
  app.addHook('preHandler', context.authenticateOperator);
  app.addHook('preHandler', async (request) => {
    requireOperatorSession(request);
  });

  app.get(
    '/operator/api/billing/subscriptions',
    {
      schema: {
        tags: [TAG],
        summary: 'Every subscription with its plan, seats and payment state; overdue ones first',
        response: { 200: operatorSubscriptionsSchema, ...errorResponses(401) },
      },
    },
    async () => ({ subscriptions: await listOperatorSubscriptions(db) }),
  );

  app.get(
    '/operator/api/billing/invoices',
    {
      schema: {
        tags: [TAG],
        summary: 'Invoices and credit notes issued, newest first (optionally of one year)',
        querystring: operatorInvoicesQuerySchema,
        response: { 200: operatorInvoicesSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => ({ invoices: await listOperatorInvoices(db, { year: request.query.year }) }),
  );

  app.get(
    '/operator/api/billing/invoices/:id/pdf',
    {
      schema: {
        tags: [TAG],
        summary: 'The PDF of an issued invoice (with its EN 16931 data embedded)',
        params: idParamsSchema,
        produces: ['application/pdf'],
        // The PDF's bytes are sent as they are (Fastify serialises no Buffer).
        response: { 200: z.instanceof(Buffer), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const found = await db.query<{ number: string; pdf: Buffer }>(
        'select number, pdf from invoices where id = $1',
        [request.params.id],
      );
      const invoice = found.rows[0];
      if (!invoice) throw new AppError(404, 'invoice_not_found', 'No such invoice.');
      return reply
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="Mailissa-${invoice.number}.pdf"`)
        .type('application/pdf')
        .send(invoice.pdf);
    },
  );

  app.post(
    '/operator/api/billing/invoices/:id/credit-notes',
    {
      schema: {
        tags: [TAG],
        summary:
          'Issue a credit note on an invoice (in full, or a net amount of what is left): refunds it through the payment provider, mails it to the buyer',
        params: idParamsSchema,
        body: createCreditNoteSchema,
        response: { 201: operatorInvoiceSchema, ...errorResponses(400, 401, 403, 404, 409, 502, 503) },
      },
    },
    async (request, reply) => {
      const issued = await issueCreditNote(
        { db, jobs: context.jobs, provider, seller: context.config.operatorIdentity },
        { invoiceId: request.params.id, reason: request.body.reason, netCents: request.body.netCents },
        context.now(),
      );
      const [listed] = await listOperatorInvoices(db, { id: issued.id });
      if (!listed) throw new AppError(404, 'invoice_not_found', 'The credit note just issued is not found.');
      return reply.code(201).send(listed);
    },
  );
};
