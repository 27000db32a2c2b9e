import { createHash } from 'node:crypto';

/**
 * What tells apart different mails that share one internetMessageId (decision 050): the sender's
 * address and the subject, normalised so every member's copy — read through Office.js in the add-in
 * or through Graph by the Outlook mirror — gives the same value. The Date header is left out: Office.js
 * does not expose it in read mode, and `dateTimeCreated` differs from mailbox to mailbox.
 */
export function mailFingerprint(mail: { fromAddress: string; subject: string }): string {
  const from = mail.fromAddress.trim().toLowerCase();
  const subject = mail.subject.normalize('NFC').replace(/\s+/gu, ' ').trim();
  return createHash('sha256').update(`v1\n${from}\n${subject}`).digest('hex');
}
