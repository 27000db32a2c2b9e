import type { Queryable } from '../db/database.js';
import type { MailSender } from '../mail/mail.schemas.js';
import type { FormSigner } from '../website/forms/form-signing.js';
import type { Lang } from '../website/i18n.js';
import { composeLinkMail, registrationLinkUrl } from './compose-link-mail.js';
import { type LinkPurpose, linkToken } from './registration-links.js';

/** Sends the mail of a link that is still unused and valid (the job behind the sign-up and sign-in forms). */
export async function sendRegistrationLink(
  deps: { db: Queryable; mail: MailSender; signer: FormSigner; publicBaseUrl: string; now: () => Date },
  job: { linkId: string; language: Lang },
): Promise<'sent' | 'skipped'> {
  const found = await deps.db.query<{ email: string; full_name: string; purpose: LinkPurpose }>(
    `select a.email, a.full_name, l.purpose
       from registration_links l join registration_accounts a on a.id = l.account_id
      where l.id = $1 and l.used_at is null and l.expires_at > $2`,
    [job.linkId, deps.now()],
  );
  const row = found.rows[0];
  if (!row) return 'skipped';
  const url = registrationLinkUrl(deps.publicBaseUrl, linkToken(deps.signer, job.linkId), job.language);
  await deps.mail.send(
    composeLinkMail({ to: row.email, name: row.full_name, lang: job.language, purpose: row.purpose, url }),
  );
  return 'sent';
}
