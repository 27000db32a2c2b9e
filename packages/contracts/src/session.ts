import { z } from 'zod';
import { SIGN_IN_OUTCOMES, type SignInError } from './error-codes.js';
import { errorCodeSchema } from './errors.js';
import { roleSchema } from './tenancy.js';

/** The browser apps that sign in with a session cookie (`/auth/…?app=`). */
export const webAppSchema = z.enum(['portal', 'operator']);
export type WebApp = z.infer<typeof webAppSchema>;

/** `?app=` of `/auth/session`, `/auth/session/keepalive` and `/auth/logout`. */
export const webAppQuerySchema = z.object({ app: webAppSchema });

/** `GET /auth/session`: the operator's has no roles and no tenant. */
export const webSessionSchema = z.object({
  app: webAppSchema,
  user: z.object({ id: z.string(), displayName: z.string(), email: z.string(), roles: z.array(roleSchema) }),
  tenant: z
    .object({
      id: z.string(),
      name: z.string(),
      /** The tenant's setting: the portal's language when the browser's is neither English nor German. */
      defaultLanguage: z.enum(['en', 'de']).optional(),
    })
    .nullable(),
  idleTimeoutSeconds: z.number().int(),
  /** When the server's idle timer runs out unless a keep-alive comes first. */
  idleExpiresAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type WebSession = z.infer<typeof webSessionSchema>;

/** `POST /auth/session/keepalive` */
export const keepAliveResponseSchema = z.object({ idleExpiresAt: z.iso.datetime() });
export type KeepAliveResponse = z.infer<typeof keepAliveResponseSchema>;

/**
 * `?signin_error=` on the page a failed sign-in returns to: the refusing error's code, or one of the
 * outcomes of the identity provider's answer.
 */
export const signInErrorSchema = z.union([errorCodeSchema, z.enum(SIGN_IN_OUTCOMES)]);
export { SIGN_IN_OUTCOMES, type SignInError };
