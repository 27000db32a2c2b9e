import { z } from 'zod';
import { siteUrlSchema } from '../jira/jira.schemas.js';
import { mailFieldSourceSchema } from '../rest-target/mail-fields.js';

const ITEM_NAME = /^[A-Za-z$][A-Za-z0-9_$]{0,63}$/;
export const DOMINO_UNID = /^[0-9A-Fa-f]{32}$/;

export const dominoFieldMappingSchema = z.object({
  field: z.string().regex(ITEM_NAME, 'is not a Domino item name'),
  source: mailFieldSourceSchema,
});

/** Notes mail's own item names, so a Memo-like form takes the mail without further setup. */
export const DEFAULT_DOMINO_MAPPING = [
  { field: 'Subject', source: 'subject' },
  { field: 'From', source: 'from' },
  { field: 'PostedDate', source: 'date' },
  { field: 'Body', source: 'body' },
  { field: 'Categories', source: 'category' },
] as const;

export const dominoSettingsSchema = z.object({
  /** The Domino REST API server, e.g. https://domino.example.com (its API lives under /api/v1). */
  serverUrl: siteUrlSchema,
  /** The DRAPI scope onto the database. */
  dataSource: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a Domino REST API scope name'),
  form: z.string().trim().regex(ITEM_NAME, 'is not a form name').default('Memo'),
  /** The item that carries a transfer's marker (decision 066); the form's modes must allow it. */
  markerItem: z.string().trim().regex(ITEM_NAME, 'is not a Domino item name').default('MailissaTransfer'),
  fieldMapping: z
    .array(dominoFieldMappingSchema)
    .min(1, 'maps no field')
    .max(20)
    .default(DEFAULT_DOMINO_MAPPING.map((entry) => ({ ...entry })))
    .refine(
      (list) => new Set(list.map((entry) => entry.field.toLowerCase())).size === list.length,
      'names a field twice',
    ),
  /** A fixed document every mail is filed under as a response; empty: each mail is a new document. */
  parentUnid: z
    .string()
    .trim()
    .default('')
    .refine(
      (unid) => unid === '' || DOMINO_UNID.test(unid),
      'is not a document UNID (32 hexadecimal characters)',
    ),
});
export type DominoSettings = z.infer<typeof dominoSettingsSchema>;

export const dominoCredentialSchema = z.object({
  username: z.string().min(1).max(256),
  password: z.string().min(1).max(1000),
});

export const dominoAuthSchema = z.looseObject({ bearer: z.string().min(1) });
export const dominoDocumentSchema = z.looseObject({
  '@meta': z.looseObject({ unid: z.string() }),
});
export const dominoQuerySchema = z.array(dominoDocumentSchema);
