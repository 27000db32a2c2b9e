import { z } from 'zod';
import { folderPathProblem, normaliseFolderPath } from '../sharepoint/safe-file-name.js';

const plannerId = (what: string) =>
  z
    .string()
    .trim()
    .min(1, 'is required')
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, `is not a ${what} id`);

/** A plan, one of its buckets, and the folder of the plan's group library that receives the files. */
export const plannerSettingsSchema = z.object({
  planId: plannerId('plan'),
  bucketId: plannerId('bucket'),
  folderPath: z
    .string()
    .max(300)
    .default('Planner')
    .superRefine((path, ctx) => {
      const problem = folderPathProblem(path);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform(normaliseFolderPath),
  /** Shown in the portal; the ids decide. */
  planName: z.string().trim().max(256).default(''),
  bucketName: z.string().trim().max(256).default(''),
});
export type PlannerSettings = z.infer<typeof plannerSettingsSchema>;
