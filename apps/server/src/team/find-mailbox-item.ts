import { AppError } from '../errors/app-error.js';
import type { GraphClient } from '../graph/graph-client.js';
import { mailFingerprint } from './mail-fingerprint.js';

interface MessageHit {
  id: string;
  subject?: string | null;
  from?: { emailAddress?: { address?: string | null } } | null;
}

/**
 * The id of a team mail's copy in one mailbox (Graph, app-only): messages with its internetMessageId,
 * of which the one whose fingerprint matches (decision 050). The add-in opens it with Office.js
 * `displayMessageForm`. Tries each mailbox in turn (the user's own, then the team's shared one).
 */
export async function findMailboxItem(
  graph: GraphClient,
  mailboxes: readonly string[],
  mail: { internetMessageId: string; fingerprint: string },
): Promise<string> {
  const filter = `internetMessageId eq '${mail.internetMessageId.replace(/'/g, "''")}'`;
  for (const mailbox of mailboxes) {
    const params = new URLSearchParams({ $filter: filter, $select: 'id,subject,from', $top: '25' });
    let page: { value: MessageHit[] };
    try {
      page = await graph.json<{ value: MessageHit[] }>({
        path: `/users/${encodeURIComponent(mailbox)}/messages?${params.toString()}`,
        what: 'find the mail in the mailbox',
      });
    } catch (error) {
      // A shared mailbox we may not read is simply not where the mail is.
      if (error instanceof AppError && (error.status === 404 || error.status === 403)) continue;
      throw error;
    }
    const hit = page.value.find(
      (message) =>
        mailFingerprint({
          fromAddress: message.from?.emailAddress?.address ?? '',
          subject: message.subject ?? '',
        }) === mail.fingerprint,
    );
    if (hit) return hit.id;
  }
  throw new AppError(404, 'team_mail_not_found', 'This mail is not in your mailbox.');
}
