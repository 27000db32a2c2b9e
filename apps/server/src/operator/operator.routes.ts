import {
  consentStatisticsQuerySchema,
  consentStatisticsSchema,
  contactEnquirySchema,
  deleteEnquiryResponseSchema,
  idParamsSchema,
  listCampaignsResponseSchema,
  listEnquiriesQuerySchema,
  listEnquiriesResponseSchema,
  listSubscribersQuerySchema,
  newCampaignSchema,
  newsletterCampaignSchema,
  newsletterOverviewSchema,
  recordOfProcessingQuerySchema,
  recordOfProcessingSchema,
  removeSubscriberResponseSchema,
  securityViewQuerySchema,
  securityViewSchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { closeContactEnquiry } from '../contact/close-contact-enquiry.js';
import { deleteContactEnquiry } from '../contact/delete-contact-enquiry.js';
import { listContactEnquiries } from '../contact/list-contact-enquiries.js';
import { errorResponses } from '../http/error-schemas.js';
import { CONSENT_WORDINGS } from '../newsletter/consent-wording.js';
import { createNewsletterCampaign } from '../newsletter/create-newsletter-campaign.js';
import { listNewsletterCampaigns } from '../newsletter/list-newsletter-campaigns.js';
import {
  listNewsletterSubscribers,
  newsletterStatistics,
} from '../newsletter/list-newsletter-subscribers.js';
import { unsubscribeFromNewsletter } from '../newsletter/unsubscribe-from-newsletter.js';
import { consentStatistics } from '../privacy/consent-statistics.js';
import {
  recordOfProcessing,
  recordOfProcessingCsv,
  retentionSettings,
} from '../privacy/record-of-processing.js';
import { blocksInForce, topFailureSources } from '../privacy/security-view.js';
import { requireOperatorSession } from '../web-session/authenticate-session.js';

const TAG = 'operator';
const HOUR_MS = 3_600_000;
const idParams = idParamsSchema;

/**
 * The operator console's API: contact enquiries, the newsletter, consent statistics, the security
 * view of the anonymised usage log and the Art. 30 record. Every route needs an operator session
 * (cookie), and changes also need the X-Requested-With header our console sends.
 */
export const operatorRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { config, db, jobs } = context;
  app.addHook('preHandler', context.authenticateOperator);
  app.addHook('preHandler', async (request) => {
    requireOperatorSession(request);
  });

  app.get(
    '/operator/api/enquiries',
    {
      schema: {
        tags: [TAG],
        summary: 'Contact enquiries, newest first',
        querystring: listEnquiriesQuerySchema,
        response: { 200: listEnquiriesResponseSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => ({
      enquiries: await listContactEnquiries(db, {
        status: request.query.status,
        retentionDays: config.contact.retentionDays,
      }),
      retentionDays: config.contact.retentionDays,
    }),
  );

  app.post(
    '/operator/api/enquiries/:id/close',
    {
      schema: {
        tags: [TAG],
        summary: 'Close an answered enquiry (it is deleted after the retention period)',
        params: idParams,
        response: { 200: contactEnquirySchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      closeContactEnquiry(db, request.params.id, {
        now: context.now(),
        retentionDays: config.contact.retentionDays,
      }),
  );

  app.delete(
    '/operator/api/enquiries/:id',
    {
      schema: {
        tags: [TAG],
        summary: 'Delete an enquiry now (e.g. when its sender asks for erasure)',
        params: idParams,
        response: { 200: deleteEnquiryResponseSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ outcome: await deleteContactEnquiry(db, request.params.id) }),
  );

  app.get(
    '/operator/api/newsletter/subscribers',
    {
      schema: {
        tags: [TAG],
        summary: 'Newsletter subscribers with their proof of consent, and the consent wordings',
        querystring: listSubscribersQuerySchema,
        response: { 200: newsletterOverviewSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => ({
      subscribers: await listNewsletterSubscribers(db, { status: request.query.status }),
      statistics: await newsletterStatistics(db),
      wordings: CONSENT_WORDINGS,
    }),
  );

  app.delete(
    '/operator/api/newsletter/subscribers/:id',
    {
      schema: {
        tags: [TAG],
        summary: 'Unsubscribe someone who asked by other means (e.g. by e-mail); deletes address and proof',
        params: idParams,
        response: { 200: removeSubscriberResponseSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ outcome: await unsubscribeFromNewsletter(db, request.params.id) }),
  );

  app.get(
    '/operator/api/newsletter/campaigns',
    {
      schema: {
        tags: [TAG],
        summary: 'Newsletter campaigns and how far their sending has got',
        response: { 200: listCampaignsResponseSchema, ...errorResponses(401) },
      },
    },
    async () => ({ campaigns: await listNewsletterCampaigns(db) }),
  );

  app.post(
    '/operator/api/newsletter/campaigns',
    {
      schema: {
        tags: [TAG],
        summary: 'Send a newsletter to every confirmed subscriber (queued; survives a restart)',
        body: newCampaignSchema,
        response: { 202: newsletterCampaignSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const campaign = await createNewsletterCampaign({ db, jobs }, request.body, context.now());
      return reply.status(202).send(campaign);
    },
  );

  app.get(
    '/operator/api/consent-statistics',
    {
      schema: {
        tags: [TAG],
        summary: "Visitors' cookie choices per policy revision",
        querystring: consentStatisticsQuerySchema,
        response: { 200: consentStatisticsSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const until = context.now();
      const since = new Date(until.getTime() - request.query.days * 24 * HOUR_MS);
      return {
        since: since.toISOString(),
        until: until.toISOString(),
        revisions: await consentStatistics(db, { since, until }),
      };
    },
  );

  app.get(
    '/operator/api/security',
    {
      schema: {
        tags: [TAG],
        summary: 'Anonymised sources with the most failures, and blocks in force',
        querystring: securityViewQuerySchema,
        response: { 200: securityViewSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const now = context.now();
      const since = new Date(now.getTime() - request.query.hours * HOUR_MS);
      return {
        since: since.toISOString(),
        topSources: await topFailureSources(db, { since }),
        blocks: await blocksInForce(db, now),
      };
    },
  );

  const recordOptions = () => ({
    operator: config.operatorIdentity,
    retention: retentionSettings(config),
    now: context.now(),
  });

  app.get(
    '/operator/api/record-of-processing',
    {
      schema: {
        tags: [TAG],
        summary: 'Record of processing activities (Art. 30 GDPR), generated from the data inventory',
        querystring: recordOfProcessingQuerySchema,
        response: { 200: recordOfProcessingSchema, ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      if (request.query.download === '1') {
        reply.header('content-disposition', 'attachment; filename="record-of-processing.json"');
      }
      return recordOfProcessing(recordOptions());
    },
  );

  app.get(
    '/operator/api/record-of-processing.csv',
    {
      schema: {
        tags: [TAG],
        summary: 'The Art. 30 record as CSV (one line per personal column)',
        response: { 200: z.string(), ...errorResponses(401) },
      },
    },
    async (_request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="record-of-processing.csv"')
        .send(recordOfProcessingCsv(recordOptions())),
  );
};
