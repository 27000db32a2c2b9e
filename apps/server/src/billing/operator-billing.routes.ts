import {
  createCreditNoteSchema,
  datevExportQuerySchema,
  extendTrialSchema,
  idParamsSchema,
  operatorInvoiceSchema,
  operatorInvoicesQuerySchema,
  operatorInvoicesSchema,
  operatorSubscriptionSchema,
  operatorSubscriptionsSchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { AppError } from '../errors/app-error.js';
import { errorResponses } from '../http/error-schemas.js';
import { requireOperatorSession } from '../web-session/authenticate-session.js';
import { exportDatev } from './accounting/export-datev.js';
import { extendTrial } from './extend-trial.js';
import { issueCreditNote } from './invoices/issue-credit-note.js';
import { listOperatorInvoices, listOperatorSubscriptions } from './list-operator-billing.js';
import { markInvoicePaid } from './mark-invoice-paid.js';
import type { PaymentProvider } from './payments/payment-provider.js';

const TAG = 'operator';

/**
 * The operator console's billing views: subscriptions (overdue first) and trials (extended here), the
 * invoices and credit notes issued with how and when each was paid, issuing a credit note, recording
 * a bank transfer, and the period's documents for the accountant as a DATEV Buchungsstapel.
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

  app.post(
    '/operator/api/billing/invoices/:id/mark-paid',
    {
      schema: {
        tags: [TAG],
        summary:
          'Record that an invoice paid on invoice arrived by bank transfer: paid at the provider, a lapsed subscription active again, audited',
        params: idParamsSchema,
        response: { 200: operatorInvoiceSchema, ...errorResponses(400, 401, 403, 404, 409, 502, 503) },
      },
    },
    async (request) => {
      const session = requireOperatorSession(request);
      await markInvoicePaid(
        { db, provider, config: context.config },
        { invoiceId: request.params.id, operatorEmail: session.email },
        context.now(),
      );
      // This process forgets its cached sign-ins at once; the others hear it from PostgreSQL.
      context.tenantConfig.invalidate(null);
      const [listed] = await listOperatorInvoices(db, { id: request.params.id });
      if (!listed) throw new AppError(404, 'invoice_not_found', 'No such invoice.');
      return listed;
    },
  );

  app.post(
    '/operator/api/billing/subscriptions/:id/extend-trial',
    {
      schema: {
        tags: [TAG],
        summary:
          "Extend a tenant's free trial by 1 to 30 days (audited); the registration portal shows the new end",
        params: idParamsSchema,
        body: extendTrialSchema,
        response: { 200: operatorSubscriptionSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const session = requireOperatorSession(request);
      await extendTrial(
        db,
        { tenantId: request.params.id, days: request.body.days, operatorEmail: session.email },
        context.now(),
      );
      context.tenantConfig.invalidate(null);
      const listed = (await listOperatorSubscriptions(db)).find(
        (entry) => entry.tenantId === request.params.id,
      );
      if (!listed) throw new AppError(404, 'not_found', 'This tenant has no subscription.');
      return listed;
    },
  );

  app.get(
    '/operator/api/billing/datev-export',
    {
      schema: {
        tags: [TAG],
        summary:
          "The period's invoices and credit notes for the accountant: a DATEV Buchungsstapel (EXTF CSV, Windows-1252)",
        querystring: datevExportQuerySchema,
        produces: ['text/csv'],
        response: { 200: z.instanceof(Buffer), ...errorResponses(400, 401, 503) },
      },
    },
    async (request, reply) => {
      const exported = await exportDatev(
        db,
        context.config.accounting.datev,
        { from: request.query.from, to: request.query.to },
        context.now(),
      );
      return reply
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="${exported.fileName}"`)
        .type('text/csv; charset=windows-1252')
        .send(exported.bytes);
    },
  );
};
