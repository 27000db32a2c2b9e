import type { JobDefinition, JobDeps } from '../jobs/job-definition.js';
import { enforceGracePeriod } from './enforce-grace-period.js';
import { DUNNING_MAIL_QUEUE } from './handle-provider-event.js';
import { mailIssuedDocument } from './invoices/mail-issued-document.js';
import { INVOICE_MAIL_QUEUE } from './invoices/store-issued-document.js';
import { formatPrice } from './plans.js';

export const GRACE_PERIOD_QUEUE = 'billing.grace-period';

interface DunningJob {
  accountId: string;
  tenantId: string;
  attempt: number;
  amountCents: number;
  nextAttemptAt: string | null;
}

const day = (value: Date, lang: 'en' | 'de') =>
  new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
    value,
  );

/** Invoices and credit notes mailed, reminders of failed payments (dunning), the hourly end of grace periods. */
export function billingJobs({ context, mail, log }: JobDeps): JobDefinition[] {
  const { db, config } = context;
  const dunning: JobDefinition<DunningJob> = {
    queue: DUNNING_MAIL_QUEUE,
    async handler(job) {
      const found = await db.query<{
        invoice_email: string | null;
        full_name: string;
        language: 'en' | 'de';
        past_due_since: Date | null;
      }>(
        `select a.invoice_email, a.full_name, a.language, s.past_due_since
           from registration_accounts a left join subscriptions s on s.tenant_id = $2
          where a.id = $1`,
        [job.data.accountId, job.data.tenantId],
      );
      const row = found.rows[0];
      if (!row?.invoice_email) return;
      const lang = row.language;
      const amount = formatPrice(job.data.amountCents, lang);
      const suspendOn = new Date(
        (row.past_due_since ?? context.now()).getTime() + config.billing.graceDays * 86_400_000,
      );
      const retry = job.data.nextAttemptAt ? new Date(job.data.nextAttemptAt) : null;
      const account = `${config.publicBaseUrl}/register/account?lang=${lang}`;
      const text =
        lang === 'de'
          ? [
              `Guten Tag ${row.full_name},`,
              '',
              `die Zahlung von ${amount} für Ihr Mailissa-Abonnement ist fehlgeschlagen (Versuch ${job.data.attempt}).`,
              retry
                ? `Wir versuchen es am ${day(retry, lang)} erneut.`
                : 'Weitere automatische Versuche gibt es nicht.',
              `Wenn bis zum ${day(suspendOn, lang)} keine Zahlung eingeht, wird Mailissa für Ihre Organisation gesperrt; Ihre Einstellungen bleiben erhalten und alles funktioniert wieder, sobald bezahlt ist.`,
              '',
              `Bitte prüfen Sie Ihr Konto oder Ihre Zahlungsart: ${account}`,
            ]
          : [
              `Hello ${row.full_name},`,
              '',
              `the payment of ${amount} for your Mailissa subscription failed (attempt ${job.data.attempt}).`,
              retry
                ? `We will try again on ${day(retry, lang)}.`
                : 'There will be no further automatic attempts.',
              `If no payment arrives by ${day(suspendOn, lang)}, Mailissa will be suspended for your organisation; your settings are kept and everything works again once paid.`,
              '',
              `Please check your account or payment method: ${account}`,
            ];
      await mail.send({
        to: row.invoice_email,
        subject: lang === 'de' ? 'Mailissa: Zahlung fehlgeschlagen' : 'Mailissa: payment failed',
        text: text.join('\n'),
      });
    },
  };
  const invoiceMail: JobDefinition<{ invoiceId: string }> = {
    queue: INVOICE_MAIL_QUEUE,
    async handler(job) {
      const outcome = await mailIssuedDocument(
        { db, mail, publicBaseUrl: config.publicBaseUrl },
        job.data.invoiceId,
        context.now(),
      );
      if (outcome !== 'sent')
        log.info({ invoiceId: job.data.invoiceId, outcome }, 'invoice mail not sent again');
    },
  };
  return [
    invoiceMail,
    dunning,
    {
      queue: GRACE_PERIOD_QUEUE,
      cron: '17 * * * *',
      async handler() {
        const suspended = await enforceGracePeriod(db, context.now(), config.billing.graceDays);
        if (suspended.length > 0)
          log.info({ suspended: suspended.length }, 'subscriptions suspended after grace period');
      },
    },
  ];
}
