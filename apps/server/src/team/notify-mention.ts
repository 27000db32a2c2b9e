import { type Database, withTenant } from '../db/database.js';
import type { MailSender } from '../mail/mail.schemas.js';
import type { TeamMentionJob } from './save-team-note.js';

/**
 * Mails a member that a note mentions them (the mention's job). The mail names the team, the author,
 * the mail's subject and sender, and quotes the note; it goes through the product's mail sending
 * (the demo's mail catcher, or the configured relay). A mention already seen, or a note deleted
 * meanwhile, sends nothing.
 */
export async function notifyMention(deps: { db: Database; mail: MailSender }, job: TeamMentionJob) {
  const found = await withTenant(deps.db, job.tenantId, async (tx) => {
    const rows = await tx.query<{
      email: string;
      team_name: string;
      author_name: string | null;
      body: string;
      subject: string;
      sender_name: string;
      sender_address: string;
      seen_at: Date | null;
    }>(
      `select u.email, t.name as team_name, a.display_name as author_name, n.body, m.subject,
              m.sender_name, m.sender_address, x.seen_at
         from team_mentions x
         join users u on u.id = x.user_id and u.tenant_id = x.tenant_id
         join team_notes n on n.id = x.note_id and n.tenant_id = x.tenant_id
         join team_mails m on m.id = n.team_mail_id and m.tenant_id = n.tenant_id
         join teams t on t.id = m.team_id and t.tenant_id = m.tenant_id
         left join users a on a.id = n.author_user_id and a.tenant_id = n.tenant_id
        where x.tenant_id = $1 and x.note_id = $2 and x.user_id = $3`,
      [job.tenantId, job.noteId, job.userId],
    );
    return rows.rows[0];
  });
  if (!found || found.seen_at) return;
  const author = found.author_name ?? 'Mailissa';
  const sender = found.sender_name ? `${found.sender_name} <${found.sender_address}>` : found.sender_address;
  const quoted = found.body
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join('\n');
  await deps.mail.send({
    to: found.email,
    subject: `[${found.team_name}] ${author} mentioned you: ${found.subject}`.slice(0, 250),
    text: [
      `${author} mentioned you in a note of the team "${found.team_name}" on the mail`,
      `"${found.subject}" from ${sender}:`,
      '',
      quoted,
      '',
      'Open the mail in Outlook and choose Mailissa Team to answer.',
      '',
      '—',
      '',
      `${author} hat Sie in einer Notiz des Teams „${found.team_name}“ zur E-Mail`,
      `„${found.subject}“ von ${sender} erwähnt (Notiz siehe oben).`,
      'Öffnen Sie die E-Mail in Outlook und wählen Sie Mailissa Team, um zu antworten.',
    ].join('\n'),
  });
}
