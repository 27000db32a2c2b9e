import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

export { ERROR_CODES, type ErrorCode };
export const errorCodeSchema = z.enum(ERROR_CODES);

/** The one error body: `{ error: { code, message, … } }`; some codes add fields (`registrationUrl`, …). */
export const errorBodySchema = z.object({
  error: z.looseObject({ code: errorCodeSchema, message: z.string() }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
