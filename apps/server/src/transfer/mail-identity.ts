import { createHash } from 'node:crypto';
import type { MessageSummary } from './graph-mail-source.js';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The mail's identity across mailboxes: its Message-ID together with a fingerprint of the headers
 * every copy shares (sender, sent time, subject). Message-IDs alone collide — mailing tools and
 * public corpora reuse them — and a collision must not claim an unrelated mail was filed already.
 */
export function mailIdentity(summary: MessageSummary): string {
  return sha256(
    [
      summary.internetMessageId ?? '',
      (summary.from?.emailAddress?.address ?? '').toLowerCase(),
      summary.sentDateTime ? new Date(summary.sentDateTime).toISOString() : '',
      (summary.subject ?? '').normalize('NFC'),
    ].join('\n'),
  );
}

/**
 * Keys for suggestions (decision 073): hashes salted with the tenant, so the table holds no address
 * or conversation id and keys of one tenant say nothing about another's.
 */
export function suggestionKeys(
  tenantId: string,
  mail: { conversationId?: string | null | undefined; sender?: string | null | undefined },
): { conversation: string | null; sender: string | null; domain: string | null } {
  const sender = (mail.sender ?? '').trim().toLowerCase();
  const domain = sender.includes('@') ? sender.slice(sender.lastIndexOf('@') + 1) : '';
  const key = (kind: string, value: string) => (value ? sha256(`${tenantId}:${kind}:${value}`) : null);
  return {
    conversation: key('conversation', mail.conversationId ?? ''),
    sender: key('sender', sender),
    domain: key('domain', domain),
  };
}
