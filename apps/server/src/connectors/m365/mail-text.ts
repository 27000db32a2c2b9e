import { z } from 'zod';
import type { GraphClient } from '../../graph/graph-client.js';

/** Planner keeps descriptions up to about 32,000 characters; the rest of a long mail stays in the .eml. */
export const MAX_DESCRIPTION_LENGTH = 30_000;

const messageSchema = z.looseObject({
  body: z.looseObject({ content: z.string().default('') }).optional(),
  webLink: z.string().optional(),
});

/**
 * The mail's text (Graph converts HTML to text when asked, docs/microsoft-365.md §4.1) and its link
 * to Outlook on the web, read as the user from their own mailbox. The text is passed on to the target
 * and never stored by Mailissa.
 */
export async function readMailText(
  userGraph: GraphClient,
  messageId: string,
): Promise<{ text: string; webLink: string | null }> {
  const message = messageSchema.parse(
    await userGraph.json({
      path: `/me/messages/${encodeURIComponent(messageId)}?$select=body,webLink`,
      headers: { prefer: 'outlook.body-content-type="text"' },
      what: 'read mail text',
    }),
  );
  const text = (message.body?.content ?? '').replace(/\r\n/g, '\n').trim();
  return {
    text: text.length > MAX_DESCRIPTION_LENGTH ? `${text.slice(0, MAX_DESCRIPTION_LENGTH - 1)}…` : text,
    webLink: message.webLink ?? null,
  };
}
