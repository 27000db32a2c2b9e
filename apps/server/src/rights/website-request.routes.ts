import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { assertNotCrossSite } from '../http/same-origin.js';
import type { MailSender } from '../mail/mail.schemas.js';
import { emailAddressSchema } from '../website/forms/email-address.js';
import { acceptFormPosts, formBodySchema, formValue, requireFormPost } from '../website/forms/form-body.js';
import { createFormSigner, loadFormSigningSecret } from '../website/forms/form-signing.js';
import {
  createSiteFormGuard,
  type FormRejection,
  formLang,
  isTrapFilled,
} from '../website/forms/site-form.js';
import type { Lang } from '../website/i18n.js';
import { readSiteState, sendSitePage, siteHref } from '../website/layout.js';
import { fulfilEmailRequest } from './fulfil-email-request.js';
import { confirmLinkMail, erasureMail, exportMail, receivedMail } from './reply-templates.js';
import {
  confirmRequestPage,
  invalidLinkPage,
  type RequestField,
  type RequestFormValues,
  requestDonePage,
  requestFormPage,
  requestSentPage,
  TEXT,
} from './rights-request.page.js';
import { recordRequestEvent } from './rights-requests.rows.js';
import { confirmWebsiteRequest, findRequestByLink, submitWebsiteRequest } from './website-request-link.js';

const FORM_TOKEN_PURPOSE = 'rights-request-issued';
const RATE_LIMIT = { bucket: 'rights', limit: 5, windowSeconds: 3600 };
const KINDS = ['access', 'rectification', 'erasure', 'restriction', 'objection'] as const;

function requestSchema(lang: Lang) {
  return z.object({
    email: emailAddressSchema(lang),
    kind: z.enum(KINDS, { error: TEXT.kindInvalid[lang] }),
    details: z
      .string()
      .trim()
      .max(2000, TEXT.detailsTooLong[lang])
      .optional()
      .transform((value) => (value ? value : null)),
  });
}

/**
 * The website's request form for people without an account (`/privacy/request`): nothing happens
 * until the single-use link mailed to the address is confirmed; then access and erasure run at once
 * by e-mail address, the other kinds go to the operator's queue with their deadline.
 */
export const websiteRequestRoutes: FastifyPluginAsyncZod<{ context: AppContext; mail: MailSender }> = async (
  app,
  { context, mail },
) => {
  const { config, db } = context;
  const secret = await loadFormSigningSecret(config);
  const guard = createSiteFormGuard(
    { config, db, signer: createFormSigner(secret), secret, now: () => context.now() },
    { purpose: FORM_TOKEN_PURPOSE, rateLimit: RATE_LIMIT, texts: TEXT },
  );
  await acceptFormPosts(app);

  app.get('/privacy/request', { schema: { hide: true } }, async (request, reply) => {
    const site = readSiteState(request, config);
    return sendSitePage(
      reply,
      site,
      '/privacy/request',
      requestFormPage(site, { formToken: guard.issueToken() }),
    );
  });

  app.get('/privacy/request/sent', { schema: { hide: true } }, async (request, reply) => {
    const site = readSiteState(request, config);
    return sendSitePage(reply, site, '/privacy/request', requestSentPage(site));
  });

  app.post(
    '/privacy/request',
    { schema: { hide: true, body: formBodySchema }, preValidation: requireFormPost, bodyLimit: 16 * 1024 },
    async (request, reply) => {
      // Like every form of the site: only from our own pages (decision 015).
      assertNotCrossSite(request, config.publicBaseUrl, 'cross_site_form');
      const body = request.body;
      const lang = formLang(body, readSiteState(request, config));
      const site = { ...readSiteState(request, config), lang };
      const values: RequestFormValues = {};
      for (const name of ['email', 'kind', 'details'] as const) {
        const value = formValue(body, name);
        if (value !== undefined) values[name] = value;
      }
      const rerender = (
        status: FormRejection['status'],
        problems: { fieldErrors?: Partial<Record<RequestField, string>>; formError?: string },
      ) =>
        sendSitePage(
          reply,
          site,
          '/privacy/request',
          requestFormPage(site, { formToken: guard.issueToken(), values, ...problems }),
          status,
        );
      const sentUrl = siteHref(site, '/privacy/request/sent');
      if (isTrapFilled(body)) return reply.redirect(sentUrl, 303);

      const parsed = requestSchema(lang).safeParse(values);
      if (!parsed.success) {
        const fieldErrors: Partial<Record<RequestField, string>> = {};
        for (const issue of parsed.error.issues) {
          const name = issue.path[0];
          if (name === 'email' || name === 'kind' || name === 'details') fieldErrors[name] ??= issue.message;
        }
        return rerender(400, { fieldErrors });
      }
      const now = context.now();
      const rejection = await guard.check({ body, address: request.ip, lang, now }, reply);
      if (rejection) return rerender(rejection.status, { formError: rejection.formError });

      const { requestId, token } = await submitWebsiteRequest(db, { ...parsed.data, language: lang }, now);
      const url = new URL('/privacy/request/confirm', config.publicBaseUrl);
      url.searchParams.set('token', token);
      url.searchParams.set('lang', lang);
      try {
        await mail.send(
          confirmLinkMail({ to: parsed.data.email, lang, kind: parsed.data.kind, url: url.toString() }),
        );
      } catch (error) {
        // The page says the same either way, so it does not reveal whether an address exists.
        request.log.error({ err: error, requestId }, 'sending the rights request link failed');
        await recordRequestEvent(db, {
          requestId,
          actor: 'website',
          action: 'link_failed',
          outcome: 'failed',
          at: now,
        });
      }
      return reply.redirect(sentUrl, 303);
    },
  );

  app.get(
    '/privacy/request/confirm',
    {
      schema: { hide: true, querystring: z.object({ token: z.string().max(200).optional() }).passthrough() },
    },
    async (request, reply) => {
      const site = readSiteState(request, config);
      const token = request.query.token ?? '';
      // Showing the page uses nothing up: mail scanners that open links must not confirm requests.
      const found = token ? await findRequestByLink(db, token, context.now()) : null;
      if (!found?.subject_email)
        return sendSitePage(reply, site, '/privacy/request', invalidLinkPage(site), 404);
      return sendSitePage(
        reply,
        site,
        '/privacy/request',
        confirmRequestPage(site, { token, kind: found.kind, email: found.subject_email }),
      );
    },
  );

  app.post(
    '/privacy/request/confirm',
    { schema: { hide: true, body: formBodySchema }, preValidation: requireFormPost },
    async (request, reply) => {
      assertNotCrossSite(request, config.publicBaseUrl, 'cross_site_form');
      const body = request.body;
      const lang = formLang(body, readSiteState(request, config));
      const site = { ...readSiteState(request, config), lang };
      const now = context.now();
      const confirmed = await confirmWebsiteRequest(db, formValue(body, 'token') ?? '', now);
      if (!confirmed?.subject_email)
        return sendSitePage(reply, site, '/privacy/request', invalidLinkPage(site), 404);
      const to = confirmed.subject_email;
      const outcome = await fulfilEmailRequest(db, confirmed, 'website (confirmed by the person)', now);
      const reply_ =
        outcome?.kind === 'access'
          ? exportMail({ to, lang: confirmed.language, data: outcome.data })
          : outcome?.kind === 'erasure'
            ? erasureMail({ to, lang: confirmed.language, outcomes: outcome.outcomes })
            : receivedMail({
                to,
                lang: confirmed.language,
                kind: confirmed.kind,
                dueAt: confirmed.due_at ?? now,
              });
      try {
        await mail.send(reply_);
        await recordRequestEvent(db, {
          requestId: confirmed.id,
          actor: 'website',
          action: 'reply_sent',
          outcome: 'done',
          detail: { template: outcome ? `${outcome.kind}_result` : 'received' },
          at: now,
        });
      } catch (error) {
        request.log.error({ err: error, requestId: confirmed.id }, 'sending the rights reply failed');
        await recordRequestEvent(db, {
          requestId: confirmed.id,
          actor: 'website',
          action: 'reply_failed',
          outcome: 'failed',
          at: now,
        });
      }
      return sendSitePage(
        reply,
        site,
        '/privacy/request',
        requestDonePage(site, outcome ?? { kind: 'open', dueAt: confirmed.due_at ?? now }),
      );
    },
  );
};
