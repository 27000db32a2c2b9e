import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { completeRightsRequest } from './complete-rights-request.js';
import { type ErasureOutcome, eraseSubjectData } from './erase-subject-data.js';
import { exportSubjectData, type SubjectExport } from './export-subject-data.js';
import { openRightsRequest } from './open-rights-request.js';
import { summariseExport } from './summarise-export.js';

/** The registration account as its own session knows it (registration/registration-sessions.ts). */
export interface RegistrationSubject {
  accountId: string;
  email: string;
  language: 'en' | 'de';
}

/** Signing in to the registration portal needs a link sent to the address: control of it is proven. */
const IDENTITY_CHECK = 'registration_sign_in_by_email_link';

/**
 * A registration account's own export (Art. 15, 20): everything the inventory keys by its e-mail
 * address — the account, its company data, contact enquiries, newsletter sign-ups, requests — the same
 * scope as a confirmed request from the website, recorded as an answered request.
 */
export async function exportRegistrationAccount(
  db: Database,
  subject: RegistrationSubject,
  now: Date,
): Promise<SubjectExport> {
  return db.transaction(async (tx) => {
    const request = await openRightsRequest(
      tx,
      {
        kind: 'access',
        channel: 'self_service',
        language: subject.language,
        subjectEmail: subject.email,
        identityCheck: IDENTITY_CHECK,
        actor: subject.email,
      },
      now,
    );
    const data = await exportSubjectData(tx, { by: 'email', value: subject.email }, now);
    await completeRightsRequest(
      tx,
      request.id,
      { actor: subject.email, action: 'exported', result: summariseExport(data) },
      now,
    );
    return data;
  });
}

/**
 * A registration account deletes itself (Art. 17) with what hangs on its address. Refused while it
 * holds a live subscription or trial: the organisation's users depend on it, and ending that is a
 * step of its own (cancel the trial, or end the tenancy in the portal). Legal holds apply as for any
 * erasure (invoices, the proof of an opt-in), and the outcome names what was kept and why.
 */
export async function eraseRegistrationAccount(
  db: Database,
  subject: RegistrationSubject,
  now: Date,
): Promise<{ requestId: string; outcomes: ErasureOutcome[] }> {
  return db.transaction(async (tx) => {
    const live = await tx.query(
      `select 1 from subscriptions s
        where s.account_id = $1 and s.state in ('trial', 'active', 'past_due') and s.period_end > $2`,
      [subject.accountId, now],
    );
    if ((live.rowCount ?? 0) > 0) {
      throw new AppError(
        409,
        'subscription_still_live',
        subject.language === 'de'
          ? 'Ihr Konto hält ein laufendes Abonnement oder eine Testphase. Beenden Sie diese zuerst; danach können Sie Ihre Daten löschen.'
          : 'Your account holds a running subscription or trial. End it first; then you can delete your data.',
      );
    }
    const request = await openRightsRequest(
      tx,
      {
        kind: 'erasure',
        channel: 'self_service',
        language: subject.language,
        subjectEmail: subject.email,
        identityCheck: IDENTITY_CHECK,
        actor: subject.email,
      },
      now,
    );
    const outcomes = await eraseSubjectData(
      tx,
      { by: 'email', value: subject.email },
      { now, requestId: request.id, channel: 'self_service' },
    );
    await completeRightsRequest(
      tx,
      request.id,
      { actor: subject.email, action: 'erased', result: { outcomes } },
      now,
    );
    return { requestId: request.id, outcomes };
  });
}
