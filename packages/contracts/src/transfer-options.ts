import { z } from 'zod';
import { FILE_NAME_TEMPLATE_PATTERN, fileNameTemplateProblem } from './file-name-template.js';
import { safeText } from './text.js';

/** What to do when this mail already went to this target. */
export const duplicateChoiceSchema = z.enum(['keep_both', 'replace', 'skip']);
export type DuplicateChoice = z.infer<typeof duplicateChoiceSchema>;

const graphId = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[A-Za-z0-9_=+/-]+$/, 'is not a Graph REST id');

/** A folder path below a target's folder: `Customers/Müller`, no `.`/`..` (checked again by the connector). */
export const subfolderSchema = safeText()
  .max(300)
  .refine((path) => !path.split('/').some((s) => s.trim() === '.' || s.trim() === '..'), {
    message: 'must not contain "." or ".." segments',
  });

/**
 * What the user chose before sending (all optional: leaving everything out is the one-click default —
 * the `.eml`, every attachment except inline images, the target's file name template, no subfolder).
 */
export const transferChoicesSchema = z.object({
  /** The attachments to send, by Graph attachment id; absent means the default selection. */
  attachmentIds: z.array(graphId).max(250).optional(),
  /** Whether the mail itself goes as `.eml`. */
  includeMail: z.boolean().optional(),
  /** The `.eml`'s name, as previewed and perhaps edited. */
  fileName: safeText({ name: true }).min(1).max(200).optional(),
  subfolder: subfolderSchema.optional(),
  /** Needed only when the mail went to this target before; absent: the remembered choice, else keep both. */
  onDuplicate: duplicateChoiceSchema.optional(),
  /** Remember `onDuplicate` for this user from now on. */
  rememberChoice: z.boolean().optional(),
  /**
   * An existing record of the target system (a Jira issue key, a Trello card id, a Domino document
   * UNID) to add the mail to instead of creating one; only for targets that offer `linkExisting`.
   */
  linkTo: safeText().min(1).max(64).optional(),
});
export type TransferChoices = z.infer<typeof transferChoicesSchema>;

/** `GET /api/transfers/prepare?messageId=&internetMessageId=&targetId=` */
export const prepareTransferQuerySchema = z.object({
  messageId: graphId,
  internetMessageId: safeText().min(3).max(998),
  targetId: z.uuid(),
});

export const preparedAttachmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number().int(),
  contentType: z.string().nullable(),
  isInline: z.boolean(),
  /** In the default selection (inline images are not). */
  selected: z.boolean(),
});

export const prepareTransferResponseSchema = z.object({
  /** The `.eml`'s name from the target's template, for the editable preview. */
  fileName: z.string(),
  attachments: z.array(preparedAttachmentSchema),
  /** The target lets the user browse and create folders below its folder. */
  folders: z.boolean(),
  /** Earlier transfers of this very mail to this target that still stand (newest first). */
  duplicates: z.array(
    z.object({ id: z.uuid(), createdAt: z.iso.datetime(), files: z.array(z.string()), isYou: z.boolean() }),
  ),
  /** What the user chose to always do with a duplicate, if they did. */
  rememberedChoice: duplicateChoiceSchema.nullable(),
  /** The target's system can take the mail into an existing record the user searches for (`linkTo`). */
  linkExisting: z.boolean(),
});
export type PrepareTransferResponse = z.infer<typeof prepareTransferResponseSchema>;

/** `GET /api/targets/{id}/folders?path=` and `POST /api/targets/{id}/folders` */
export const targetFoldersQuerySchema = z.object({ path: subfolderSchema.default('') });
export const targetFoldersResponseSchema = z.object({ folders: z.array(z.object({ name: z.string() })) });
export const createTargetFolderBodySchema = z.object({ path: subfolderSchema.min(1) });

/** `GET /api/targets/suggestions?conversationId=&sender=` */
export const targetSuggestionsQuerySchema = z.object({
  conversationId: safeText().max(1024).optional(),
  sender: safeText().max(320).optional(),
});
export const suggestionReasonSchema = z.enum(['conversation', 'sender', 'domain', 'recent']);
export const targetSuggestionsResponseSchema = z.object({
  suggestions: z.array(z.object({ targetId: z.uuid(), reason: suggestionReasonSchema })),
});
export type TargetSuggestions = z.infer<typeof targetSuggestionsResponseSchema>;

/** Mail fields a target may write into its library's columns. */
export const mappableFieldSchema = z.enum(['subject', 'from', 'to', 'date', 'category', 'conversation']);
export type MappableField = z.infer<typeof mappableFieldSchema>;

/** Graph's master-category colours `preset0` … `preset24` (docs/microsoft-365.md §5.8). */
export const FILED_COLORS = Array.from({ length: 25 }, (_, i) => `preset${i}`) as [string, ...string[]];
export const filedColorSchema = z.enum(FILED_COLORS, { error: 'must be preset0 … preset24' });

/** A column's internal name as Graph's listItem fields use it (`MailSubject`, `Title`, `_x0020_`-escaped). */
export const columnNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'is not a column name');

/**
 * Per target: how the `.eml` is named, the Outlook category set on a filed mail, and which mail
 * fields fill which library columns. `PUT /portal/api/targets/{id}/transfer-options`.
 */
export const targetTransferOptionsSchema = z.object({
  fileNameTemplate: safeText({ name: true })
    .max(200)
    .superRefine((template, context) => {
      const problem = fileNameTemplateProblem(template);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    // The same rule as a pattern, so the OpenAPI document states it (and generated probes meet it).
    .regex(FILE_NAME_TEMPLATE_PATTERN, 'is not a file name template'),
  /** Null: filed mails get no category. */
  filedCategory: safeText({ name: true })
    .trim()
    .min(1)
    .max(255)
    // Outlook separates the categories of a mail by commas and semicolons when it shows or edits them.
    .regex(/^[^,;]*$/, 'must not contain a comma or semicolon')
    .nullable(),
  filedColor: filedColorSchema.nullable(),
  /** Column name → mail field; checked against the library's columns when saved. */
  columnMapping: z
    .record(columnNameSchema, mappableFieldSchema)
    .refine((mapping) => Object.keys(mapping).length <= 20, 'maps more than 20 columns'),
});
export type TargetTransferOptions = z.infer<typeof targetTransferOptionsSchema>;

export const targetTransferOptionsResponseSchema = z.object({
  options: targetTransferOptionsSchema,
  /** The target's connector can write mail fields into columns (SharePoint libraries). */
  fieldMapping: z.boolean(),
});
export type TargetTransferOptionsResponse = z.infer<typeof targetTransferOptionsResponseSchema>;

/** A library column as the portal's mapping form offers it. */
export const targetColumnSchema = z.object({
  name: z.string(),
  displayName: z.string(),
  type: z.enum(['text', 'note', 'dateTime', 'choice', 'other']),
  /** Mailissa can write it: not read-only, not hidden, of a type a mail field fits. */
  writable: z.boolean(),
});
export type TargetColumn = z.infer<typeof targetColumnSchema>;
export const targetColumnsResponseSchema = z.object({ columns: z.array(targetColumnSchema) });

/** `GET /api/transfers/conversation?messageId=`: the mails of the open mail's conversation. */
export const conversationQuerySchema = z.object({ messageId: graphId });
export const conversationResponseSchema = z.object({
  /** Oldest first, at most 100; each transferred as a mail of its own. */
  messages: z.array(
    z.object({
      messageId: z.string(),
      internetMessageId: z.string(),
      subject: z.string(),
      receivedAt: z.iso.datetime().nullable(),
    }),
  ),
  /** More mails than listed belong to the conversation. */
  truncated: z.boolean(),
});
export type ConversationResponse = z.infer<typeof conversationResponseSchema>;

/** `GET /api/targets/{id}/records?q=`: existing records of the target's system to add a mail to. */
export const targetRecordsQuerySchema = z.object({ q: safeText().max(200).default('') });
export const existingRecordSchema = z.object({
  /** What `linkTo` takes: an issue key, a card id, a document UNID. */
  id: z.string(),
  title: z.string(),
  url: z.string().nullable(),
});
export type ExistingRecord = z.infer<typeof existingRecordSchema>;
export const targetRecordsResponseSchema = z.object({ records: z.array(existingRecordSchema) });
