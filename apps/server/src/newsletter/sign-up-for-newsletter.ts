import type { Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Lang } from '../website/i18n.js';

export const SEND_CONFIRMATION_QUEUE = 'newsletter.send-confirmation';

export type SignUpOutcome = 'pending' | 'pending_again' | 'already_confirmed';

/**
 * Records a sign-up as pending with its proof (wording version and language, time, truncated
 * network) and queues the confirmation mail in the same transaction. Signing up again while pending
 * renews the proof and sends a new link; for a confirmed address nothing changes and nothing is sent.
 */
export async function signUpForNewsletter(
  deps: { db: Database; jobs: JobQueue },
  input: { email: string; consentVersion: string; language: Lang; network: string },
  now: Date,
): Promise<{ outcome: SignUpOutcome; subscriberId: string | null }> {
  return deps.db.transaction(async (tx) => {
    const upserted = await tx.query<{ id: string; inserted: boolean }>(
      `insert into newsletter_subscribers
         (email, status, consent_version, consent_language, signed_up_at, signup_ip_truncated)
       values ($1, 'pending', $2, $3, $4, $5)
       on conflict (email) do update
         set consent_version = excluded.consent_version,
             consent_language = excluded.consent_language,
             signed_up_at = excluded.signed_up_at,
             signup_ip_truncated = excluded.signup_ip_truncated
         where newsletter_subscribers.status = 'pending'
       returning id, (xmax = 0) as inserted`,
      [input.email, input.consentVersion, input.language, now, input.network],
    );
    const row = upserted.rows[0];
    if (!row) return { outcome: 'already_confirmed' as const, subscriberId: null };
    await deps.jobs.send(
      SEND_CONFIRMATION_QUEUE,
      { subscriberId: row.id },
      { transaction: tx, retryLimit: 10, retryDelaySeconds: 30, retryBackoff: true },
    );
    return {
      outcome: row.inserted ? ('pending' as const) : ('pending_again' as const),
      subscriberId: row.id,
    };
  });
}
