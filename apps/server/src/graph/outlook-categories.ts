import type { GraphClient } from './graph-client.js';
import { graphFailureOf } from './graph-errors.js';

/** Graph's master-category colours (docs/microsoft-365.md §5.8): `none` or `preset0` … `preset24`. */
export type OutlookCategoryColor = 'none' | `preset${number}`;

export const OUTLOOK_CATEGORY_COLORS: readonly OutlookCategoryColor[] = [
  'none',
  ...Array.from({ length: 25 }, (_, i): OutlookCategoryColor => `preset${i}`),
];

/** Graph spells colours `preset0`, Office.js `Preset0` (§5.8, §10.7): compare and store in lower case. */
export function normaliseCategoryColor(color: string): OutlookCategoryColor {
  const lower = color.toLowerCase();
  return (OUTLOOK_CATEGORY_COLORS as readonly string[]).includes(lower)
    ? (lower as OutlookCategoryColor)
    : 'none';
}

interface MasterCategory {
  id: string;
  displayName: string;
  color: string;
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function mailboxPath(mailbox: string): string {
  return `/users/${encodeURIComponent(mailbox)}`;
}

async function masterCategories(graph: GraphClient, mailbox: string): Promise<MasterCategory[]> {
  const body = await graph.json<{ value: MasterCategory[] }>({
    path: `${mailboxPath(mailbox)}/outlook/masterCategories`,
    what: 'list master categories',
  });
  return body.value;
}

export interface EnsuredCategory {
  displayName: string;
  color: OutlookCategoryColor;
  /** What was done to the mailbox's master list. */
  outcome: 'created' | 'recoloured' | 'unchanged';
  /** The new category's Graph id, when this call created it (recorded for the end of the tenancy). */
  createdId?: string;
}

/**
 * Makes sure a mailbox's master category list has `displayName` in `color`, so the category shows
 * in Outlook with the team's colour (issue 9 item 5). Idempotent: an existing category of that name
 * (case-insensitive, as Outlook's) is recoloured if needed, never duplicated; a 409 because someone
 * created it meanwhile counts as existing. Throttling and transient failures are the client's to retry.
 */
export async function ensureMasterCategory(
  graph: GraphClient,
  mailbox: string,
  wanted: { displayName: string; color: OutlookCategoryColor },
): Promise<EnsuredCategory> {
  const color = normaliseCategoryColor(wanted.color);
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = (await masterCategories(graph, mailbox)).find((c) =>
      sameName(c.displayName, wanted.displayName),
    );
    if (existing) {
      if (normaliseCategoryColor(existing.color) === color) {
        return { displayName: existing.displayName, color, outcome: 'unchanged' };
      }
      await graph.request({
        method: 'PATCH',
        path: `${mailboxPath(mailbox)}/outlook/masterCategories/${encodeURIComponent(existing.id)}`,
        body: { color },
        what: 'recolour a master category',
      });
      return { displayName: existing.displayName, color, outcome: 'recoloured' };
    }
    const response = await graph.request({
      method: 'POST',
      path: `${mailboxPath(mailbox)}/outlook/masterCategories`,
      body: { displayName: wanted.displayName, color },
      accept: [409],
      what: 'create a master category',
    });
    if (response.status !== 409) {
      const created = (await response.json()) as { id?: unknown };
      return {
        displayName: wanted.displayName,
        color,
        outcome: 'created',
        ...(typeof created.id === 'string' ? { createdId: created.id } : {}),
      };
    }
    await response.body?.cancel();
    // Created by someone else between our read and our write: read again and compare its colour.
  }
  throw new Error(`master category '${wanted.displayName}' neither exists nor can be created`);
}

/** One mailbox's copy of a mail, as far as Team needs it. */
export interface MessageCopy {
  id: string;
  internetMessageId: string;
  subject: string;
  fromAddress: string;
  categories: string[];
}

interface GraphMessageFields {
  id: string;
  internetMessageId?: string | null;
  subject?: string | null;
  from?: { emailAddress?: { address?: string | null } } | null;
  categories?: string[] | null;
}

function toCopy(message: GraphMessageFields): MessageCopy {
  return {
    id: message.id,
    internetMessageId: message.internetMessageId ?? '',
    subject: message.subject ?? '',
    fromAddress: message.from?.emailAddress?.address ?? '',
    categories: message.categories ?? [],
  };
}

const COPY_FIELDS = 'id,internetMessageId,subject,from,categories';

/** OData string literal: single quotes doubled (docs/microsoft-365.md §4.2). */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * A mailbox's copies of one mail: every message with this `internetMessageId`, narrowed by `matches`
 * (the caller's fingerprint of sender and subject), because different mails can share one
 * Message-ID. Usually one copy; a mail filed into two folders gives two.
 */
export async function findMessageCopies(
  graph: GraphClient,
  mailbox: string,
  internetMessageId: string,
  matches: (copy: MessageCopy) => boolean = () => true,
): Promise<MessageCopy[]> {
  const filter = encodeURIComponent(`internetMessageId eq ${odataString(internetMessageId)}`);
  const copies: MessageCopy[] = [];
  for await (const message of graph.paginate<GraphMessageFields>(
    `${mailboxPath(mailbox)}/messages?$filter=${filter}&$select=${COPY_FIELDS}&$top=50`,
  )) {
    const copy = toCopy(message);
    if (copy.internetMessageId === internetMessageId && matches(copy)) copies.push(copy);
  }
  return copies;
}

/** One message with the fields of a copy; undefined when it is gone (deleted, moved away). */
export async function readMessageCopy(
  graph: GraphClient,
  mailbox: string,
  messageId: string,
): Promise<MessageCopy | undefined> {
  const response = await graph.request({
    path: `${mailboxPath(mailbox)}/messages/${encodeURIComponent(messageId)}?$select=${COPY_FIELDS}`,
    accept: [404],
    what: 'read a message',
  });
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  return toCopy((await response.json()) as GraphMessageFields);
}

/**
 * The category list after adding and removing names, keeping everything else the user set and its
 * order; names compare case-insensitively, an added name already present is not repeated.
 */
export function mergeCategories(
  current: readonly string[],
  change: { add?: readonly string[]; remove?: readonly string[] },
): string[] {
  const removed = (name: string) => (change.remove ?? []).some((r) => sameName(r, name));
  const next = current.filter((name) => !removed(name));
  for (const name of change.add ?? []) {
    if (!next.some((n) => sameName(n, name))) next.push(name);
  }
  return next;
}

/**
 * Adds and removes categories on one message without touching the user's other categories: Graph's
 * PATCH replaces the whole list (§5.7), so the current list is read first and written back merged.
 * Nothing is written when nothing changes, which also keeps change notifications from echoing.
 * Returns the list now on the message, or undefined when the message is gone.
 */
export async function changeMessageCategories(
  graph: GraphClient,
  mailbox: string,
  messageId: string,
  change: { add?: readonly string[]; remove?: readonly string[] },
): Promise<string[] | undefined> {
  const copy = await readMessageCopy(graph, mailbox, messageId);
  if (!copy) return undefined;
  const next = mergeCategories(copy.categories, change);
  const unchanged =
    next.length === copy.categories.length && next.every((name, i) => name === copy.categories[i]);
  if (unchanged) return next;
  try {
    await graph.request({
      method: 'PATCH',
      path: `${mailboxPath(mailbox)}/messages/${encodeURIComponent(messageId)}`,
      body: { categories: next },
      what: 'set categories on a message',
    });
  } catch (error) {
    if (graphFailureOf(error)?.graphStatus === 404) return undefined;
    throw error;
  }
  return next;
}
