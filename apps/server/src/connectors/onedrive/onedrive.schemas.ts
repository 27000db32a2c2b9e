import { z } from 'zod';
import { folderPathProblem, normaliseFolderPath } from '../sharepoint/safe-file-name.js';

/** A folder below the signed-in user's OneDrive root, created if missing (never the root itself). */
export const oneDriveSettingsSchema = z.object({
  folderPath: z
    .string()
    .max(300)
    .default('Mailissa')
    .superRefine((path, ctx) => {
      const problem = folderPathProblem(path);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
      else if (normaliseFolderPath(path) === '') ctx.addIssue({ code: 'custom', message: 'is required' });
    })
    .transform(normaliseFolderPath),
});
export type OneDriveSettings = z.infer<typeof oneDriveSettingsSchema>;
