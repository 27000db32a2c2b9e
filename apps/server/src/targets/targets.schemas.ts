import { z } from 'zod';
import { CONNECTOR_TYPES } from '../connectors/connector.js';

export const connectorTypeSchema = z.enum(CONNECTOR_TYPES);

/** A target as the add-in lists it: no settings, which are the administrators' business. */
export const targetSummarySchema = z.object({
  id: z.uuid(),
  title: z.string(),
  category: z.string(),
  connectorType: connectorTypeSchema,
});
export type TargetSummary = z.infer<typeof targetSummarySchema>;

export const administratorContactSchema = z.object({ displayName: z.string(), email: z.string() });
export type AdministratorContact = z.infer<typeof administratorContactSchema>;

export const listTargetsResponseSchema = z.object({ targets: z.array(targetSummarySchema) });
