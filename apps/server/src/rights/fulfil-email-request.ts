import type { Database } from '../db/database.js';
import { completeRightsRequest } from './complete-rights-request.js';
import { type ErasureOutcome, eraseSubjectData } from './erase-subject-data.js';
import { exportSubjectData, type SubjectExport } from './export-subject-data.js';
import type { RightsRequestRow } from './rights-requests.rows.js';
import { summariseExport } from './summarise-export.js';

export type EmailRequestOutcome =
  | { kind: 'access'; data: SubjectExport }
  | { kind: 'erasure'; outcomes: ErasureOutcome[] };

/**
 * Carries out a confirmed access or erasure request by e-mail address, across every table the
 * inventory keys by e-mail (contact enquiries, newsletter, …), and completes it; the caller sends
 * the reply. Other kinds need a person's judgement and stay open in the operator's queue.
 */
export async function fulfilEmailRequest(
  db: Database,
  request: RightsRequestRow,
  actor: string,
  now: Date,
): Promise<EmailRequestOutcome | null> {
  const email = request.subject_email;
  if (!email || (request.kind !== 'access' && request.kind !== 'erasure')) return null;
  return db.transaction(async (tx) => {
    const query = { by: 'email' as const, value: email };
    if (request.kind === 'access') {
      const data = await exportSubjectData(tx, query, now);
      await completeRightsRequest(
        tx,
        request.id,
        { actor, action: 'exported', result: summariseExport(data) },
        now,
      );
      return { kind: 'access' as const, data };
    }
    const outcomes = await eraseSubjectData(tx, query, { now, requestId: request.id, channel: 'website' });
    await completeRightsRequest(tx, request.id, { actor, action: 'erased', result: { outcomes } }, now);
    return { kind: 'erasure' as const, outcomes };
  });
}
