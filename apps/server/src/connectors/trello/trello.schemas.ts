import { z } from 'zod';
import { siteUrlSchema } from '../jira/jira.schemas.js';
import { mailFieldSourceSchema } from '../rest-target/mail-fields.js';

export const TRELLO_ID = /^[0-9a-f]{24}$/;
export const TRELLO_SHORT_LINK = /^[A-Za-z0-9]{8}$/;

export const trelloSettingsSchema = z.object({
  /** Trello's API; only the demo points elsewhere (its stand-in). */
  apiUrl: siteUrlSchema.default('https://api.trello.com/1'),
  listId: z.string().trim().regex(TRELLO_ID, 'is not a Trello list id (24 hexadecimal characters)'),
  /** A fixed card every mail is added to; empty: each mail makes a card (or goes to the one picked). */
  cardId: z
    .string()
    .trim()
    .default('')
    .refine((id) => id === '' || TRELLO_ID.test(id) || TRELLO_SHORT_LINK.test(id), 'is not a Trello card id'),
  /**
   * Custom fields of the board (issue 11 item 9) filled on every new card: text fields take any
   * source, date fields the mail's date. Name and description always take the subject and the text.
   */
  fieldMapping: z
    .array(
      z.object({
        field: z
          .string()
          .trim()
          .regex(TRELLO_ID, 'is not a Trello custom field id (24 hexadecimal characters)'),
        source: mailFieldSourceSchema,
      }),
    )
    .max(10)
    .default([])
    .refine((list) => new Set(list.map((entry) => entry.field)).size === list.length, 'names a field twice'),
});
export type TrelloSettings = z.infer<typeof trelloSettingsSchema>;

/** A board's custom field as Trello describes it (the Custom Fields Power-Up). */
export const trelloCustomFieldSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  type: z.string(),
});

export const trelloCredentialSchema = z.object({
  apiKey: z.string().regex(/^[0-9a-f]{32}$/, 'is not a Trello API key'),
  token: z.string().min(1).max(500),
});

export const trelloCardSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  desc: z.string().optional(),
  idBoard: z.string().optional(),
  shortUrl: z.string(),
  closed: z.boolean().optional(),
});
export const trelloListSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  idBoard: z.string(),
  closed: z.boolean(),
});
export const trelloAttachmentSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  bytes: z.number().nullable(),
});
export const trelloActionSchema = z.looseObject({
  id: z.string(),
  data: z.looseObject({ text: z.string().optional() }),
});
export const trelloMemberSchema = z.looseObject({
  id: z.string(),
  fullName: z.string().optional(),
  username: z.string(),
});
export const trelloSearchSchema = z.looseObject({ cards: z.array(trelloCardSchema) });
