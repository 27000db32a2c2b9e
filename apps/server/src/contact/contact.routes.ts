import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.js';
import type { MailSender } from '../mail/mail.schemas.js';
import { isLang, type Lang } from '../website/i18n.js';
import { readSiteState, sendPage, siteHref } from '../website/layout.js';
import {
  type ContactFieldErrors,
  type ContactFormValues,
  renderContactPage,
  renderContactSentPage,
  TEXT,
} from './contact.page.js';
import { type ContactField, contactFormSchema, formBodySchema, formValue } from './contact.schemas.js';
import { deleteExpiredContactData } from './delete-expired-contact-data.js';
import { acceptFormPosts, requireFormPost } from './form-body.js';
import { createFormSigner, loadFormSigningSecret } from './form-signing.js';
import { checkFormTiming, issueFormTimestamp } from './form-timing.js';
import { notifyOperatorOfEnquiry } from './notify-operator-of-enquiry.js';
import { consumeRateLimit } from './rate-limit.js';
import { NOTIFY_OPERATOR_QUEUE, submitContactEnquiry } from './submit-contact-enquiry.js';

export const CONTACT_RETENTION_QUEUE = 'contact.retention';
const FORM_TOKEN_PURPOSE = 'contact-form-issued';
const CONTACT_RATE_LIMIT = { bucket: 'contact', limit: 5, windowSeconds: 3600 };
const FIELDS: ContactField[] = ['name', 'email', 'company', 'message'];

/** The website's contact form (`/contact`), the mail to the operator and the enquiries' retention. */
export const contactRoutes: FastifyPluginAsyncZod<{ context: AppContext; mail: MailSender }> = async (
  app,
  { context, mail },
) => {
  const { config, db, jobs } = context;
  const secret = await loadFormSigningSecret(config);
  const signer = createFormSigner(secret);
  const issueFormToken = () => issueFormTimestamp(signer, FORM_TOKEN_PURPOSE, context.now());
  await acceptFormPosts(app);

  await jobs.createQueue(NOTIFY_OPERATOR_QUEUE);
  await jobs.work<{ enquiryId: string }>(NOTIFY_OPERATOR_QUEUE, async (job) => {
    await notifyOperatorOfEnquiry(
      {
        db,
        mail,
        recipient: config.contact.recipient,
        publicBaseUrl: config.publicBaseUrl,
        now: () => context.now(),
      },
      job.data.enquiryId,
    );
  });
  await jobs.createQueue(CONTACT_RETENTION_QUEUE);
  await jobs.work(CONTACT_RETENTION_QUEUE, async () => {
    const deleted = await deleteExpiredContactData(db, {
      now: context.now(),
      retentionDays: config.contact.retentionDays,
    });
    app.log.info({ deleted }, 'contact retention run');
  });
  await jobs.schedule(CONTACT_RETENTION_QUEUE, '7 * * * *');

  app.get('/contact', { schema: { hide: true } }, async (request, reply) => {
    const site = readSiteState(request, config);
    return sendPage(
      reply,
      site,
      renderContactPage({
        lang: site.lang,
        langInLinks: site.langInLinks,
        consent: site.consent,
        formToken: issueFormToken(),
        retentionDays: config.contact.retentionDays,
      }),
    );
  });

  app.get('/contact/sent', { schema: { hide: true } }, async (request, reply) => {
    const site = readSiteState(request, config);
    return sendPage(
      reply,
      site,
      renderContactSentPage({ lang: site.lang, langInLinks: site.langInLinks, consent: site.consent }),
    );
  });

  app.post(
    '/contact',
    { schema: { hide: true, body: formBodySchema }, preValidation: requireFormPost, bodyLimit: 64 * 1024 },
    async (request, reply) => {
      const site = readSiteState(request, config);
      const bodyLang = formValue(request.body, 'lang');
      const lang: Lang = isLang(bodyLang) ? bodyLang : site.lang;
      const values: ContactFormValues = {};
      for (const name of FIELDS) {
        const value = formValue(request.body, name);
        if (value !== undefined) values[name] = value;
      }
      const rerender = (
        status: 400 | 429,
        problems: { fieldErrors?: ContactFieldErrors; formError?: string },
      ) =>
        sendPage(
          reply,
          site,
          renderContactPage({
            lang,
            langInLinks: site.langInLinks,
            consent: site.consent,
            formToken: issueFormToken(),
            retentionDays: config.contact.retentionDays,
            values,
            ...problems,
          }),
          status,
        );
      const sentUrl = siteHref({ lang, langInLinks: site.langInLinks }, '/contact/sent');

      // A filled trap field means a bot: it is told "thank you" and nothing is kept or sent.
      if ((formValue(request.body, 'website') ?? '') !== '') return reply.redirect(sentUrl, 303);

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

      const timing = checkFormTiming(signer, FORM_TOKEN_PURPOSE, formValue(request.body, 'form_token'), {
        now,
        minSeconds: config.contact.minSubmitSeconds,
      });
      if (timing === 'forged') return rerender(400, { formError: TEXT.forged[lang] });
      if (timing === 'too_fast') return rerender(400, { formError: TEXT.tooFast[lang] });
      if (timing === 'expired') return rerender(400, { formError: TEXT.expired[lang] });

      const rate = await consumeRateLimit(db, CONTACT_RATE_LIMIT, { address: request.ip, secret, now });
      if (!rate.allowed) {
        reply.header('retry-after', String(rate.retryAfterSeconds));
        const minutes = String(Math.ceil(rate.retryAfterSeconds / 60));
        return rerender(429, { formError: TEXT.rateLimited[lang].replace('{minutes}', minutes) });
      }

      await submitContactEnquiry({ db, jobs }, { ...parsed.data, language: lang }, now);
      return reply.redirect(sentUrl, 303);
    },
  );
};
