import { z } from 'zod';
import { siteUrlSchema } from '../jira/jira.schemas.js';

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
});
export type TrelloSettings = z.infer<typeof trelloSettingsSchema>;

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
