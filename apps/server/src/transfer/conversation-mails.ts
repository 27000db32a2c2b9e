import type { ConversationResponse } from '@mailissa/contracts';
import type { Principal } from '../auth/authenticate.js';
import type { GraphClient } from '../graph/graph-client.js';
import { odataString } from '../graph/outlook-categories.js';
import { readUsersMessage } from './create-transfer.js';

/** A conversation longer than this is transferred in parts: one action stays reviewable. */
export const CONVERSATION_LIMIT = 100;

interface ConversationMessage {
  id: string;
  internetMessageId?: string | null;
  subject?: string | null;
  receivedDateTime?: string | null;
  conversationId?: string | null;
  isDraft?: boolean | null;
}

/**
 * The mails of the conversation the given mail belongs to, from the user's own mailbox (all its
 * folders), oldest first. Read app-only like the mail itself (decision 010): the message id is
 * first looked up in the user's mailbox, so another mailbox's conversation is never reached.
 * Drafts are left out: they are not mails anyone received.
 */
export async function conversationMails(
  graph: GraphClient,
  principal: Principal,
  messageId: string,
): Promise<ConversationResponse> {
  const message = await readUsersMessage(graph, principal, messageId);
  const conversationId = message.conversationId;
  if (!conversationId) {
    return {
      messages: [
        {
          messageId,
          internetMessageId: message.internetMessageId ?? '',
          subject: message.subject ?? '',
          receivedAt: message.receivedDateTime ?? null,
        },
      ],
      truncated: false,
    };
  }
  const filter = encodeURIComponent(`conversationId eq ${odataString(conversationId)}`);
  const found: ConversationMessage[] = [];
  let truncated = false;
  for await (const item of graph.paginate<ConversationMessage>(
    `/users/${encodeURIComponent(principal.objectId)}/messages?$filter=${filter}` +
      '&$select=id,internetMessageId,subject,receivedDateTime,conversationId,isDraft&$top=50',
  )) {
    if (item.conversationId !== conversationId || item.isDraft) continue;
    if (found.length === CONVERSATION_LIMIT) {
      truncated = true;
      break;
    }
    found.push(item);
  }
  found.sort((a, b) => (a.receivedDateTime ?? '').localeCompare(b.receivedDateTime ?? ''));
  return {
    messages: found.map((item) => ({
      messageId: item.id,
      internetMessageId: item.internetMessageId ?? '',
      subject: item.subject ?? '',
      receivedAt: item.receivedDateTime ? new Date(item.receivedDateTime).toISOString() : null,
    })),
    truncated,
  };
}
