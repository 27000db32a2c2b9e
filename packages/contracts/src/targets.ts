import { z } from 'zod';

/** The connectors a target can use; the server has one implementation per entry. */
export const CONNECTOR_TYPES = [
  'sharepoint',
  'onedrive',
  'teams_channel',
  'planner',
  'todo',
  'webdav',
  'jira',
  'trello',
  'domino',
  'webhook',
  'email',
] as const;
export const connectorTypeSchema = z.enum(CONNECTOR_TYPES);
export type ConnectorType = z.infer<typeof connectorTypeSchema>;

/** A target as the add-in lists it: no settings, which are the administrators' business. */
export const targetSummarySchema = z.object({
  id: z.uuid(),
  /** In the user's language. */
  title: z.string(),
  /** The category's name in the user's language; empty when the target has none. */
  category: z.string(),
  categoryId: z.uuid().nullable(),
  /** Outlook colour preset of the category (`preset0` … `preset24`), null without a category. */
  categoryColor: z.string().nullable(),
  connectorType: connectorTypeSchema,
});
export type TargetSummary = z.infer<typeof targetSummarySchema>;

/** Sent with `no_licence` (as `administrators`) so the user knows whom to ask. */
export const administratorContactSchema = z.object({ displayName: z.string(), email: z.string() });
export type AdministratorContact = z.infer<typeof administratorContactSchema>;

/** `GET /api/targets` */
export const listTargetsResponseSchema = z.object({ targets: z.array(targetSummarySchema) });
export type ListTargetsResponse = z.infer<typeof listTargetsResponseSchema>;
