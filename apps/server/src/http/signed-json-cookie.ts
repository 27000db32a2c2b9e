import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

/**
 * Takes a short-lived signed cookie that carries JSON (a sign-in in progress: state, nonce, PKCE
 * verifier): clears it, so it is used once, and returns its value when the signature holds and the
 * JSON fits `schema`; null for a missing, forged, garbled or foreign value.
 */
export function takeSignedJsonCookie<Schema extends z.ZodType>(
  request: FastifyRequest,
  reply: FastifyReply,
  cookie: { name: string; path: string },
  schema: Schema,
): z.infer<Schema> | null {
  const raw = request.cookies[cookie.name];
  reply.clearCookie(cookie.name, { path: cookie.path });
  const unsigned = raw ? request.unsignCookie(raw) : null;
  if (!unsigned?.valid || !unsigned.value) return null;
  let json: unknown;
  try {
    json = JSON.parse(unsigned.value);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
