import type { FormSigner } from './form-signing.js';

/** A form older than this is refused (sent again with a fresh token), so tokens cannot be hoarded. */
const FORM_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export type FormTiming = 'ok' | 'forged' | 'too_fast' | 'expired';

/**
 * The website forms carry the time they were served, signed, in a hidden field. A form sent back
 * faster than a person can fill it in is almost always a bot; one without a valid signature was not
 * served by us.
 */
export function issueFormTimestamp(signer: FormSigner, purpose: string, now: Date): string {
  return signer.sign(purpose, String(now.getTime()));
}

export function checkFormTiming(
  signer: FormSigner,
  purpose: string,
  token: string | undefined,
  options: { now: Date; minSeconds: number },
): FormTiming {
  const issuedAt = Number(signer.verify(purpose, token ?? ''));
  if (!Number.isSafeInteger(issuedAt) || issuedAt <= 0) return 'forged';
  const age = options.now.getTime() - issuedAt;
  if (age < options.minSeconds * 1000) return 'too_fast';
  if (age > FORM_MAX_AGE_MS) return 'expired';
  return 'ok';
}
