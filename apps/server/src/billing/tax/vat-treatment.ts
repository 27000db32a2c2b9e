/**
 * Which VAT an invoice carries (docs/decisions/082). Mailissa is sold from Germany, business to
 * business: German customers and EU customers without a VAT id confirmed by VIES pay German VAT;
 * EU businesses outside Germany with a confirmed VAT id get a reverse-charge invoice (the customer
 * accounts for the VAT, § 13b UStG / Art. 196 VAT Directive); customers outside the EU are not
 * charged German VAT (place of supply abroad, § 3a (2) UStG).
 */
export const SELLER_COUNTRY = 'DE';
export const GERMAN_VAT_PERCENT = 19;

export const EU_COUNTRIES = new Set([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
]);

export type TaxTreatment = 'standard' | 'reverse_charge' | 'outside_eu';

export interface VatDecision {
  treatment: TaxTreatment;
  ratePercent: number;
}

/** Whether the buyer's VAT id must be confirmed by VIES before the price can be known. */
export function needsViesCheck(country: string, vatId: string | null): boolean {
  return vatId !== null && EU_COUNTRIES.has(country) && country !== SELLER_COUNTRY;
}

export function decideVat(country: string, vatId: string | null, viesValid: boolean | null): VatDecision {
  if (!EU_COUNTRIES.has(country)) return { treatment: 'outside_eu', ratePercent: 0 };
  if (country !== SELLER_COUNTRY && vatId !== null && viesValid === true)
    return { treatment: 'reverse_charge', ratePercent: 0 };
  return { treatment: 'standard', ratePercent: GERMAN_VAT_PERCENT };
}

/** Net plus VAT, rounded once on the total (EN 16931 sums VAT per category, then rounds). */
export function taxOn(netCents: number, ratePercent: number): number {
  return Math.round((netCents * ratePercent) / 100);
}
