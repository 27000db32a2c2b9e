import { z } from 'zod';
import { folderPathProblem, normaliseFolderPath } from './safe-file-name.js';

/** A SharePoint document library or OneDrive (`driveId`) and a folder in it, created if missing. */
export const sharePointSettingsSchema = z.object({
  driveId: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(200)
    .regex(/^[A-Za-z0-9!_.-]+$/, 'is not a drive id'),
  folderPath: z
    .string()
    .max(300)
    .default('')
    .superRefine((path, ctx) => {
      const problem = folderPathProblem(path);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform(normaliseFolderPath),
});
export type SharePointSettings = z.infer<typeof sharePointSettingsSchema>;

/** The parts of a driveItem (docs/microsoft-365.md §6.1) we read. */
export const driveItemSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  webUrl: z.string().optional(),
  size: z.number().optional(),
  folder: z.looseObject({}).optional(),
  file: z.looseObject({}).optional(),
});
export type DriveItem = z.infer<typeof driveItemSchema>;

export const uploadSessionSchema = z.looseObject({
  uploadUrl: z.url(),
  nextExpectedRanges: z.array(z.string()).optional(),
});

/** The parts of a list's columnDefinition we read (Graph: columnDefinition; docs/microsoft-365.md §6.7). */
export const columnDefinitionSchema = z.looseObject({
  name: z.string(),
  displayName: z.string().nullable().optional(),
  readOnly: z.boolean().optional(),
  hidden: z.boolean().optional(),
  text: z.looseObject({ allowMultipleLines: z.boolean().optional() }).nullable().optional(),
  dateTime: z.looseObject({}).nullable().optional(),
  choice: z.looseObject({ allowTextEntry: z.boolean().optional() }).nullable().optional(),
});
export type ColumnDefinition = z.infer<typeof columnDefinitionSchema>;
