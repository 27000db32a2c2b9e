import { z } from 'zod';

/** `:id` of a route that addresses one record. */
export const idParamsSchema = z.object({ id: z.uuid() });
