import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.js';
import { assertNotCrossSite } from '../http/same-origin.js';
import { reportAbuse } from '../privacy/abuse-signal.js';
import { acceptFormPosts, formBodySchema, formValue, requireFormPost } from '../website/forms/form-body.js';
import { createFormSigner, loadFormSigningSecret } from '../website/forms/form-signing.js';
import {
  createSiteFormGuard,
  type FormRejection,
  formLang,
  isTrapFilled,
} from '../website/forms/site-form.js';
import { readSiteState, sendSitePage, siteHref } from '../website/layout.js';
import {
  type ContactFieldErrors,
  type ContactFormValues,
  contactPage,
  contactSentPage,
  TEXT,
} from './contact.page.js';
import { type ContactField, contactFormSchema } from './contact.schemas.js';
import { submitContactEnquiry } from './submit-contact-enquiry.js';

const FORM_TOKEN_PURPOSE = 'contact-form-issued';
const CONTACT_RATE_LIMIT = { bucket: 'contact', limit: 5, windowSeconds: 3600 };
const FIELDS: ContactField[] = ['name', 'email', 'company', 'message'];

/** The website's contact form (`/contact`), and the enquiry's recording (its jobs: contact.jobs.ts). */
export const contactRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const { config, db, jobs } = context;
  const secret = await loadFormSigningSecret(config);
  const guard = createSiteFormGuard(
    { config, db, signer: createFormSigner(secret), secret, now: () => context.now() },
    { purpose: FORM_TOKEN_PURPOSE, rateLimit: CONTACT_RATE_LIMIT, texts: TEXT },
  );
  await acceptFormPosts(app);

  // Every rendering of the form carries a fresh timestamp.
  const freshForm = () => ({ formToken: guard.issueToken(), retentionDays: config.contact.retentionDays });

  app.get('/contact', { schema: { hide: true } }, async (request, reply) => {
    const site = readSiteState(request, config);
    return sendSitePage(reply, site, '/contact', contactPage(site, freshForm()));
  });

  app.get('/contact/sent', { schema: { hide: true } }, async (request, reply) => {
    const site = readSiteState(request, config);
    return sendSitePage(reply, site, '/contact', contactSentPage(site));
  });

  app.post(
    '/contact',
    { schema: { hide: true, body: formBodySchema }, preValidation: requireFormPost, bodyLimit: 64 * 1024 },
    async (request, reply) => {
      assertNotCrossSite(request, config.publicBaseUrl, 'cross_site_form');
      const body = request.body;
      const visitor = readSiteState(request, config);
      const lang = formLang(body, visitor);
      const site = { ...visitor, lang };
      const values: ContactFormValues = {};
      for (const name of FIELDS) {
        const value = formValue(body, name);
        if (value !== undefined) values[name] = value;
      }
      const rerender = (
        status: FormRejection['status'],
        problems: { fieldErrors?: ContactFieldErrors; formError?: string },
      ) =>
        sendSitePage(
          reply,
          site,
          '/contact',
          contactPage(site, { ...freshForm(), values, ...problems }),
          status,
        );
      const sentUrl = siteHref(site, '/contact/sent');

      // A filled trap field means a bot: it is told "thank you" and nothing is kept or sent.
      if (isTrapFilled(body)) {
        reportAbuse(request, 'form_spam');
        return reply.redirect(sentUrl, 303);
      }

      const now = context.now();
      // Field errors first, so a person sees what to fix; the checks against bots guard storing.
      const parsed = contactFormSchema(lang).safeParse(values);
      if (!parsed.success) {
        const fieldErrors: ContactFieldErrors = {};
        for (const issue of parsed.error.issues) {
          const name = issue.path[0];
          if (typeof name === 'string' && FIELDS.includes(name as ContactField)) {
            fieldErrors[name as ContactField] ??= issue.message;
          }
        }
        return rerender(400, { fieldErrors });
      }

      const rejection = await guard.check({ body, address: request.ip, lang, now }, reply);
      if (rejection) return rerender(rejection.status, { formError: rejection.formError });

      await submitContactEnquiry({ db, jobs }, { ...parsed.data, language: lang }, now);
      return reply.redirect(sentUrl, 303);
    },
  );
};
