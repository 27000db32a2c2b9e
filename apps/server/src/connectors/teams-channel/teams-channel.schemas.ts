import { z } from 'zod';

/** A team (its Microsoft 365 group's id) and one of its channels (`19:…@thread.tacv2`). */
export const teamsChannelSettingsSchema = z.object({
  teamId: z.string().trim().min(1, 'is required').pipe(z.uuid('is not a team id')),
  channelId: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(200)
    .regex(/^19:[A-Za-z0-9._-]+@thread\.(tacv2|skype)$/, 'is not a channel id'),
  /** Shown in the portal; the ids decide. */
  teamName: z.string().trim().max(256).default(''),
  channelName: z.string().trim().max(256).default(''),
});
export type TeamsChannelSettings = z.infer<typeof teamsChannelSettingsSchema>;
