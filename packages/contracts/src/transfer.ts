import { z } from 'zod';
import { connectorTypeSchema } from './targets.js';
import { safeText } from './text.js';
import { transferChoicesSchema } from './transfer-options.js';

export const transferStateSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type TransferState = z.infer<typeof transferStateSchema>;

export const transferSchema = z.object({
  id: z.uuid(),
  state: transferStateSchema,
  /** `connectorType` says what `folderUrl` opens: a folder, an issue, a card, a task… */
  target: z.object({
    id: z.uuid(),
    title: z.string(),
    category: z.string(),
    connectorType: connectorTypeSchema,
  }),
  messageId: z.string(),
  internetMessageId: z.string(),
  /**
   * Always null: Mailissa does not keep mail subjects (the add-in shows the open mail's own subject).
   * Kept in the shape so clients need no change should that ever be revisited.
   */
  subject: z.string().nullable(),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  /** Null once the user who sent it has been removed from the tenant. */
  createdBy: z.object({ id: z.uuid(), displayName: z.string(), isYou: z.boolean() }).nullable(),
  folderUrl: z.string().nullable(),
  files: z.array(z.object({ name: z.string(), size: z.number().int() })),
  failureReason: z.string().nullable(),
  /** Bytes written so far and in all (null until the worker knows the sizes): live progress. */
  progress: z.object({ bytesDone: z.number().int(), bytesTotal: z.number().int().nullable() }).optional(),
  /** The user asked to stop it; the worker deletes what it wrote and ends it as `cancelled`. */
  cancelRequested: z.boolean().optional(),
});
export type Transfer = z.infer<typeof transferSchema>;

/** `POST /api/transfers` */
export const createTransferBodySchema = z.object({
  messageId: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[A-Za-z0-9_=+/-]+$/, 'is not a Graph REST id'),
  internetMessageId: safeText().min(3).max(998),
  targetId: z.uuid(),
  ...transferChoicesSchema.shape,
});
export type CreateTransferBody = z.infer<typeof createTransferBodySchema>;

/** `GET /api/transfers?internetMessageId=` */
export const transfersOfMessageQuerySchema = z.object({ internetMessageId: safeText().min(3).max(998) });

/** `GET /portal/api/transfers?days=` */
export const recentTransfersQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(90).default(7),
});

export const transferResponseSchema = z.object({
  transfer: transferSchema,
  /** True when the user chose "skip" for a mail already in the target: `transfer` is the earlier one. */
  skipped: z.boolean().optional(),
});
export type TransferResponse = z.infer<typeof transferResponseSchema>;
export const transferListResponseSchema = z.object({ transfers: z.array(transferSchema) });
export type TransferListResponse = z.infer<typeof transferListResponseSchema>;
