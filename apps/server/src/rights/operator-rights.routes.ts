import {
  closeRightsRequestSchema,
  extendRightsRequestSchema,
  idParamsSchema,
  listRightsRequestsResponseSchema,
  listTenantDeletionsResponseSchema,
  replyRightsRequestSchema,
  rightsRequestDetailSchema,
  rightsRequestSchema,
} from '@mailissa/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.js';
import { AppError } from '../errors/app-error.js';
import { errorResponses } from '../http/error-schemas.js';
import type { MailSender, OutgoingMail } from '../mail/mail.schemas.js';
import { requireOperatorSession } from '../web-session/authenticate-session.js';
import { closeRightsRequest } from './close-rights-request.js';
import { extendRightsRequest } from './extend-rights-request.js';
import { listRequestEvents } from './list-request-events.js';
import { listRightsRequests, toRightsRequest } from './list-rights-requests.js';
import { listTenantDeletionFailures } from './list-tenant-deletion-failures.js';
import { listTenantDeletions } from './list-tenant-deletions.js';
import { closedMail, extendedMail, identityNeededMail, receivedMail } from './reply-templates.js';
import { findRightsRequest, type RightsRequestRow, recordRequestEvent } from './rights-requests.rows.js';

const TAG = 'operator';

/**
 * The operator's queue of data-subject requests: deadlines (overdue ones flagged), the identity
 * check, the trail of actions, extensions with their reason mailed, replies from templates (EN/DE).
 */
export const operatorRightsRoutes: FastifyPluginAsyncZod<{ context: AppContext; mail: MailSender }> = async (
  app,
  { context, mail },
) => {
  const { db } = context;
  app.addHook('preHandler', context.authenticateOperator);

  async function sendReply(
    request: RightsRequestRow,
    message: OutgoingMail,
    template: string,
    actor: string,
  ) {
    const now = context.now();
    try {
      await mail.send(message);
      await recordRequestEvent(db, {
        requestId: request.id,
        actor,
        action: 'reply_sent',
        outcome: 'done',
        detail: { template },
        at: now,
      });
    } catch {
      await recordRequestEvent(db, {
        requestId: request.id,
        actor,
        action: 'reply_failed',
        outcome: 'failed',
        detail: { template },
        at: now,
      });
      throw new AppError(
        502,
        'mail_not_configured',
        'The reply could not be sent; it is recorded as failed.',
      );
    }
  }

  app.get(
    '/operator/api/rights-requests',
    {
      schema: {
        tags: [TAG],
        summary: 'Data-subject requests: open ones by deadline first, overdue flagged',
        response: { 200: listRightsRequestsResponseSchema, ...errorResponses(401) },
      },
    },
    async (request) => {
      requireOperatorSession(request);
      return { requests: await listRightsRequests(db, context.now()) };
    },
  );

  app.get(
    '/operator/api/rights-requests/:id',
    {
      schema: {
        tags: [TAG],
        summary: 'One request with its append-only trail',
        params: idParamsSchema,
        response: { 200: rightsRequestDetailSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      requireOperatorSession(request);
      const found = await findRightsRequest(db, request.params.id);
      if (!found) throw new AppError(404, 'rights_request_not_found', 'No such request.');
      return {
        request: toRightsRequest(found, context.now()),
        events: await listRequestEvents(db, found.id),
      };
    },
  );

  app.post(
    '/operator/api/rights-requests/:id/extend',
    {
      schema: {
        tags: [TAG],
        summary: 'Extend the deadline by two months; the reason is mailed to the person',
        params: idParamsSchema,
        body: extendRightsRequestSchema,
        response: { 200: rightsRequestSchema, ...errorResponses(400, 401, 403, 404, 409, 502) },
      },
    },
    async (request) => {
      const session = requireOperatorSession(request);
      const extended = await extendRightsRequest(
        db,
        request.params.id,
        { reason: request.body.reason, actor: session.email },
        context.now(),
      );
      if (extended.subject_email && extended.due_at) {
        await sendReply(
          extended,
          extendedMail({
            to: extended.subject_email,
            lang: extended.language,
            kind: extended.kind,
            dueAt: new Date(extended.due_at),
            reason: request.body.reason,
          }),
          'extended',
          session.email,
        );
      }
      return toRightsRequest(extended, context.now());
    },
  );

  app.post(
    '/operator/api/rights-requests/:id/reply',
    {
      schema: {
        tags: [TAG],
        summary: "Send a templated reply in the person's language",
        params: idParamsSchema,
        body: replyRightsRequestSchema,
        response: { 200: rightsRequestSchema, ...errorResponses(400, 401, 403, 404, 409, 502) },
      },
    },
    async (request) => {
      const session = requireOperatorSession(request);
      const found = await findRightsRequest(db, request.params.id);
      if (!found) throw new AppError(404, 'rights_request_not_found', 'No such request.');
      if (!found.subject_email) {
        throw new AppError(409, 'rights_request_closed', 'This request has no e-mail address to reply to.');
      }
      const base = { to: found.subject_email, lang: found.language, kind: found.kind };
      const { template, note } = request.body;
      const message =
        template === 'received'
          ? receivedMail({ ...base, dueAt: new Date(found.due_at ?? context.now()) })
          : template === 'identity_needed'
            ? identityNeededMail({ ...base, note })
            : closedMail({ ...base, status: template === 'completed' ? 'completed' : 'rejected', note });
      await sendReply(found, message, template, session.email);
      return toRightsRequest(found, context.now());
    },
  );

  app.post(
    '/operator/api/rights-requests/:id/close',
    {
      schema: {
        tags: [TAG],
        summary: 'Close a request handled by hand, with a note for the trail',
        params: idParamsSchema,
        body: closeRightsRequestSchema,
        response: { 200: rightsRequestSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const session = requireOperatorSession(request);
      const closed = await closeRightsRequest(
        db,
        request.params.id,
        { ...request.body, actor: session.email },
        context.now(),
      );
      return toRightsRequest(closed, context.now());
    },
  );

  app.get(
    '/operator/api/tenant-deletions',
    {
      schema: {
        tags: [TAG],
        summary:
          'Records of tenancies whose data was deleted, with counts per table and what a hold kept, and deletions that failed and wait for the next run',
        response: { 200: listTenantDeletionsResponseSchema, ...errorResponses(401) },
      },
    },
    async (request) => {
      requireOperatorSession(request);
      return { deletions: await listTenantDeletions(db), failures: await listTenantDeletionFailures(db) };
    },
  );
};
