import { z } from 'zod';
import type { FormSigner } from '../website/forms/form-signing.js';

/** How long a confirmation link works; pending sign-ups are deleted after the same time. */
export const CONFIRMATION_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

const CONFIRM_PURPOSE = 'newsletter-confirm';
const UNSUBSCRIBE_PURPOSE = 'newsletter-unsubscribe';

const confirmPayloadSchema = z.object({ s: z.uuid(), e: z.number().int().positive() });
const unsubscribePayloadSchema = z.object({ s: z.uuid() });

export type ConfirmTokenCheck =
  | { ok: true; subscriberId: string }
  | { ok: false; reason: 'invalid' | 'expired' };

function parsePayload<T>(schema: z.ZodType<T>, payload: string | null): T | null {
  if (payload === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The newsletter's links. A confirmation token names the sign-up and its expiry, signed with HMAC;
 * it is single-use because confirming moves the sign-up out of `pending` for good (ids are random
 * and never reused). An unsubscribe token never expires, so every newsletter ever sent keeps a
 * working unsubscribe link.
 */
export function createNewsletterTokens(signer: FormSigner) {
  return {
    confirmToken(subscriberId: string, expiresAt: Date): string {
      return signer.sign(
        CONFIRM_PURPOSE,
        JSON.stringify({ s: subscriberId, e: Math.floor(expiresAt.getTime() / 1000) }),
      );
    },
    checkConfirmToken(token: string | undefined, now: Date): ConfirmTokenCheck {
      const payload = parsePayload(
        confirmPayloadSchema,
        token ? signer.verify(CONFIRM_PURPOSE, token) : null,
      );
      if (!payload) return { ok: false, reason: 'invalid' };
      if (now.getTime() > payload.e * 1000) return { ok: false, reason: 'expired' };
      return { ok: true, subscriberId: payload.s };
    },
    unsubscribeToken(subscriberId: string): string {
      return signer.sign(UNSUBSCRIBE_PURPOSE, JSON.stringify({ s: subscriberId }));
    },
    /** The subscriber id, or null for a malformed or forged token. */
    checkUnsubscribeToken(token: string | undefined): string | null {
      const payload = parsePayload(
        unsubscribePayloadSchema,
        token ? signer.verify(UNSUBSCRIBE_PURPOSE, token) : null,
      );
      return payload?.s ?? null;
    },
  };
}
export type NewsletterTokens = ReturnType<typeof createNewsletterTokens>;
