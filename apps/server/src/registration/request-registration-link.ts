import type { Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Lang } from '../website/i18n.js';
import { createRegistrationLink } from './registration-links.js';

export const SEND_LINK_QUEUE = 'registration.send-link';

export type LinkRequest =
  | { kind: 'sign_up'; email: string; fullName: string; language: Lang }
  | { kind: 'sign_in'; email: string; language: Lang };

/**
 * Records the link the visitor asked for and queues its mail in the same transaction. Signing up
 * with an address that already has an account sends a sign-in link instead (its name stays as it
 * was confirmed); signing in with an unknown address sends nothing. The page says the same in every
 * case, so the form does not reveal who has an account.
 */
export async function requestRegistrationLink(
  deps: { db: Database; jobs: JobQueue },
  request: LinkRequest,
  now: Date,
): Promise<'sent' | 'no_account'> {
  return deps.db.transaction(async (tx) => {
    let account: { id: string; confirmed: boolean } | undefined;
    if (request.kind === 'sign_up') {
      const upserted = await tx.query<{ id: string; confirmed: boolean }>(
        `insert into registration_accounts (email, full_name, language, created_at)
         values ($1, $2, $3, $4)
         on conflict (email) do update
           set full_name = case when registration_accounts.email_confirmed_at is null
                                then excluded.full_name else registration_accounts.full_name end
         returning id, email_confirmed_at is not null as confirmed`,
        [request.email, request.fullName, request.language, now],
      );
      account = upserted.rows[0];
    } else {
      const found = await tx.query<{ id: string; confirmed: boolean }>(
        'select id, email_confirmed_at is not null as confirmed from registration_accounts where email = $1',
        [request.email],
      );
      account = found.rows[0];
    }
    if (!account) return 'no_account';
    const linkId = await createRegistrationLink(
      tx,
      account.id,
      account.confirmed ? 'sign_in' : 'confirm',
      now,
    );
    await deps.jobs.send(
      SEND_LINK_QUEUE,
      { linkId, language: request.language },
      { transaction: tx, retryLimit: 10, retryDelaySeconds: 30, retryBackoff: true },
    );
    return 'sent';
  });
}
