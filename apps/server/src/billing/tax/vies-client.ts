import { z } from 'zod';
import { AppError } from '../../errors/app-error.js';

/**
 * The EU's VIES service, REST flavour: `POST {base}/check-vat-number`. A member state's database that
 * is down (MS_UNAVAILABLE and the like), a timeout or a network error all mean "not known": the caller
 * keeps the order pending instead of guessing either way (docs/decisions/082).
 */
const answerSchema = z.object({
  countryCode: z.string(),
  vatNumber: z.string(),
  requestDate: z.string(),
  valid: z.boolean(),
  requestIdentifier: z.string().optional(),
  name: z.string().optional(),
  address: z.string().optional(),
});

export interface ViesAnswer {
  valid: boolean;
  requestIdentifier: string | null;
  name: string | null;
  address: string | null;
}

export type VatChecker = (vatId: string) => Promise<ViesAnswer>;

const VIES_TIMEOUT_MS = 10_000;

/** VIES writes Greece as EL and hides missing details as `---`. */
const detail = (value: string | undefined) => (value && value !== '---' ? value : null);

export function createViesClient(baseUrl: string, requester: string | null): VatChecker {
  return async (vatId) => {
    const countryCode = vatId.slice(0, 2);
    const body = {
      countryCode,
      vatNumber: vatId.slice(2),
      ...(requester
        ? { requesterMemberStateCode: requester.slice(0, 2), requesterNumber: requester.slice(2) }
        : {}),
    };
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/check-vat-number`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(VIES_TIMEOUT_MS),
      });
    } catch {
      throw unavailable();
    }
    const parsed = answerSchema.safeParse(await response.json().catch(() => null));
    if (!response.ok || !parsed.success) throw unavailable();
    return {
      valid: parsed.data.valid,
      requestIdentifier: detail(parsed.data.requestIdentifier),
      name: detail(parsed.data.name),
      address: detail(parsed.data.address),
    };
  };
}

function unavailable(): AppError {
  return new AppError(
    503,
    'vat_check_unavailable',
    'The EU VAT check (VIES) cannot be reached right now; your order stays pending until it answers.',
  );
}
