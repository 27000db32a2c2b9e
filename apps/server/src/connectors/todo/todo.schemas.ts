import { z } from 'zod';

/** Which of the user's To Do lists: empty means their default list ("Tasks"); a name is created if missing. */
export const todoSettingsSchema = z.object({
  listName: z.string().trim().max(255).default(''),
});
export type TodoSettings = z.infer<typeof todoSettingsSchema>;
