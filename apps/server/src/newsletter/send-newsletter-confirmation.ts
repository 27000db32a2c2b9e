import type { Queryable } from '../db/database.js';
import type { MailSender } from '../mail/mail.schemas.js';
import { composeConfirmationMail, confirmationUrl } from './compose-newsletter-mails.js';
import { type NewsletterSubscriberRow, SUBSCRIBER_COLUMNS } from './newsletter.rows.js';
import { CONFIRMATION_VALIDITY_MS, type NewsletterTokens } from './newsletter-tokens.js';

/**
 * Sends the confirmation link of a pending sign-up (the job behind the sign-up form). The token is
 * made here, from the sign-up's id and time, so no token is ever stored, not even in the job.
 */
export async function sendNewsletterConfirmation(
  deps: { db: Queryable; mail: MailSender; tokens: NewsletterTokens; publicBaseUrl: string; now: () => Date },
  subscriberId: string,
): Promise<'sent' | 'skipped'> {
  const found = await deps.db.query<NewsletterSubscriberRow>(
    `select ${SUBSCRIBER_COLUMNS} from newsletter_subscribers where id = $1 and status = 'pending'`,
    [subscriberId],
  );
  const row = found.rows[0];
  if (!row) return 'skipped';
  const expiresAt = new Date(new Date(row.signed_up_at).getTime() + CONFIRMATION_VALIDITY_MS);
  if (expiresAt <= deps.now()) return 'skipped';
  const token = deps.tokens.confirmToken(row.id, expiresAt);
  await deps.mail.send(
    composeConfirmationMail({
      to: row.email,
      lang: row.consent_language,
      url: confirmationUrl(deps.publicBaseUrl, token, row.consent_language),
    }),
  );
  return 'sent';
}
