import type { OpenTeamMailBody } from '@mailissa/contracts';
import { mailFingerprint } from './mail-fingerprint.js';
import { recordTeamChange, type TeamChangeScope } from './team-mail-scope.js';

/**
 * The team's row for the mail a member has open, created the first time any member opens it ("first
 * seen"); the subject, sender and received time are refreshed from the member's copy. Returns its id.
 */
export async function openTeamMail(scope: TeamChangeScope, mail: OpenTeamMailBody): Promise<string> {
  const fingerprint = mailFingerprint({ fromAddress: mail.from.address, subject: mail.subject });
  const existing = await scope.tx.query<{ id: string }>(
    `select id from team_mails
      where tenant_id = $1 and team_id = $2 and internet_message_id = $3 and fingerprint = $4`,
    [scope.tenantId, scope.teamId, mail.internetMessageId, fingerprint],
  );
  const found = existing.rows[0];
  if (found) return found.id;
  const inserted = await scope.tx.query<{ id: string; inserted: boolean }>(
    `insert into team_mails (tenant_id, team_id, internet_message_id, fingerprint, subject, sender_name,
                             sender_address, received_at, first_seen_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
     on conflict (tenant_id, team_id, internet_message_id, fingerprint) do update set subject = excluded.subject
     returning id, (xmax = 0) as inserted`,
    [
      scope.tenantId,
      scope.teamId,
      mail.internetMessageId,
      fingerprint,
      mail.subject,
      mail.from.name,
      mail.from.address.toLowerCase(),
      mail.receivedAt ?? null,
      scope.now,
    ],
  );
  const row = inserted.rows[0];
  if (!row) throw new Error('the team mail was neither found nor inserted');
  if (row.inserted) await recordTeamChange(scope, row.id, 'first_seen', null);
  return row.id;
}
