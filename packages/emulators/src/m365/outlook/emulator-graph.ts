/** The few Graph v1.0 calls the emulated Outlook makes, against the emulator's Graph. */
export const GRAPH_BASE = '/emulator/graph/v1.0';

export interface GraphRecipient {
  emailAddress: { name?: string; address?: string };
}

export interface GraphMessage {
  id: string;
  subject: string | null;
  bodyPreview?: string;
  receivedDateTime?: string;
  createdDateTime?: string;
  internetMessageId?: string;
  conversationId?: string;
  hasAttachments?: boolean;
  isRead?: boolean;
  from?: GraphRecipient | null;
  toRecipients?: GraphRecipient[];
  ccRecipients?: GraphRecipient[];
  categories?: string[];
  body?: { contentType: 'text' | 'html'; content: string };
}

export interface GraphAttachment {
  '@odata.type'?: string;
  id: string;
  name: string;
  contentType: string | null;
  size: number;
  isInline: boolean;
  contentId?: string | null;
  contentBytes?: string;
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

async function graphFetch(path: string, token: string): Promise<Response> {
  const response = await fetch(`${GRAPH_BASE}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) {
    let code = `http_${response.status}`;
    let message = response.statusText;
    try {
      const body = (await response.json()) as { error?: { code?: string; message?: string } };
      code = body.error?.code ?? code;
      message = body.error?.message ?? message;
    } catch {
      // Not JSON: keep the status line.
    }
    throw new GraphError(response.status, code, message);
  }
  return response;
}

async function graphJson<T>(path: string, token: string): Promise<T> {
  return (await (await graphFetch(path, token)).json()) as T;
}

/** `/me`, or a shared mailbox the user opened (`/users/{address}`, docs/microsoft-365.md §5.11). */
function root(mailbox: string | undefined): string {
  return mailbox ? `/users/${encodeURIComponent(mailbox)}` : '/me';
}

export interface SharedMailbox {
  id: string;
  displayName: string;
  address: string;
}

/** The shared mailboxes the signed-in user may open (the emulator's stand-in for autodiscover). */
export async function listSharedMailboxes(token: string): Promise<SharedMailbox[]> {
  const response = await fetch('/emulator/outlook/api/shared-mailboxes', {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) return [];
  return ((await response.json()) as { value: SharedMailbox[] }).value;
}

/** The newest messages of the mailbox, following `@odata.nextLink` up to `limit`. */
export async function listMessages(token: string, limit = 100, mailbox?: string): Promise<GraphMessage[]> {
  const messages: GraphMessage[] = [];
  let path: string | null = `${root(mailbox)}/messages?$top=50`;
  while (path && messages.length < limit) {
    const page: { value: GraphMessage[]; '@odata.nextLink'?: string } = await graphJson(path, token);
    messages.push(...page.value);
    const next = page['@odata.nextLink'];
    path = next ? next.slice(next.indexOf(GRAPH_BASE) + GRAPH_BASE.length) : null;
  }
  const time = (message: GraphMessage) =>
    Date.parse(message.receivedDateTime ?? message.createdDateTime ?? '') || 0;
  return messages.sort((a, b) => time(b) - time(a));
}

export function getMessage(token: string, id: string, mailbox?: string): Promise<GraphMessage> {
  return graphJson(`${root(mailbox)}/messages/${encodeURIComponent(id)}`, token);
}

/** Attachment metadata; `contentBytes` only for small inline images that the reading pane shows. */
export async function listAttachments(
  token: string,
  messageId: string,
  mailbox?: string,
): Promise<GraphAttachment[]> {
  const page = await graphJson<{ value: GraphAttachment[] }>(
    `${root(mailbox)}/messages/${encodeURIComponent(messageId)}/attachments?$select=id,name,contentType,size,isInline,contentId`,
    token,
  );
  return page.value;
}

export async function attachmentBytes(
  token: string,
  messageId: string,
  attachmentId: string,
  mailbox?: string,
): Promise<Blob> {
  const response = await graphFetch(
    `${root(mailbox)}/messages/${encodeURIComponent(messageId)}/attachments/${encodeURIComponent(attachmentId)}/$value`,
    token,
  );
  return response.blob();
}

/** The whole message as MIME (`$value`), base64-encoded as Office.js `getAsFileAsync` returns it. */
export async function messageMimeBase64(token: string, messageId: string, mailbox?: string): Promise<string> {
  const response = await graphFetch(
    `${root(mailbox)}/messages/${encodeURIComponent(messageId)}/$value`,
    token,
  );
  const bytes = new Uint8Array(await response.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + chunk));
  }
  return btoa(binary);
}

export function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('Reading the attachment failed'));
    reader.readAsDataURL(blob);
  });
}
