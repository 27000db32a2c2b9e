import type { DatevSettings } from '../../config/accounting.config.js';
import type { Queryable } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import type { TaxTreatment } from '../tax/vat-treatment.js';
import { berlinParts, datevBuchungsstapel, datevFileName, fiscalYearStart } from './datev-export.js';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The instant a calendar day `YYYY-MM-DD` starts in Germany (UTC+1, or +2 in summer). */
export function berlinDayStart(isoDay: string): Date {
  const utcMidnight = Date.parse(`${isoDay}T00:00:00Z`);
  for (const hours of [1, 2]) {
    const candidate = new Date(utcMidnight - hours * 3_600_000);
    const parts = berlinParts(candidate);
    if (parts.hour === '00' && `${parts.year}-${parts.month}-${parts.day}` === isoDay) return candidate;
  }
  return new Date(utcMidnight);
}

function isCalendarDay(value: string): boolean {
  if (!ISO_DAY.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

function nextDay(isoDay: string): string {
  return new Date(Date.parse(`${isoDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * The invoices and credit notes issued from `from` to `to` (calendar days in Germany, both included)
 * as a DATEV Buchungsstapel. One export is one batch of one fiscal year, as DATEV requires (its
 * booking dates carry no year); a period across fiscal years is refused, as is one before its start.
 */
export async function exportDatev(
  db: Queryable,
  settings: DatevSettings,
  period: { from: string; to: string },
  now: Date,
): Promise<{ fileName: string; bytes: Buffer; count: number }> {
  if (!isCalendarDay(period.from))
    throw new AppError(400, 'invalid_request', 'from: a calendar day as YYYY-MM-DD.');
  if (!isCalendarDay(period.to))
    throw new AppError(400, 'invalid_request', 'to: a calendar day as YYYY-MM-DD.');
  if (period.to < period.from) throw new AppError(400, 'invalid_request', 'to: not before from.');
  const start = fiscalYearStart(period.from, settings.fiscalYearStartMonth);
  if (fiscalYearStart(period.to, settings.fiscalYearStartMonth) !== start)
    throw new AppError(
      400,
      'invalid_request',
      `from, to: one export covers one fiscal year (this one starts ${start}); split the period.`,
    );
  const { consultantNumber, clientNumber } = settings;
  if (consultantNumber === null || clientNumber === null)
    throw new AppError(
      503,
      'datev_not_configured',
      'Set DATEV_CONSULTANT_NUMBER and DATEV_CLIENT_NUMBER (the books the export is imported into).',
    );
  const found = await db.query<{
    number: string;
    kind: 'invoice' | 'credit_note';
    corrects_number: string | null;
    issued_at: Date;
    gross_cents: string;
    tax_treatment: TaxTreatment;
    buyer_name: string;
    buyer_vat_id: string | null;
  }>(
    `select i.number, i.kind, c.number as corrects_number, i.issued_at, i.gross_cents, i.tax_treatment,
            i.buyer->>'name' as buyer_name, i.buyer->>'vatId' as buyer_vat_id
       from invoices i left join invoices c on c.id = i.corrects_invoice_id
      where i.issued_at >= $1 and i.issued_at < $2
      order by i.issued_at, i.kind, i.number`,
    [berlinDayStart(period.from), berlinDayStart(nextDay(period.to))],
  );
  const documents = found.rows.map((row) => ({
    number: row.number,
    kind: row.kind,
    correctsNumber: row.corrects_number,
    issuedAt: row.issued_at,
    grossCents: Number(row.gross_cents),
    taxTreatment: row.tax_treatment,
    buyerName: row.buyer_name,
    buyerVatId: row.buyer_vat_id,
  }));
  return {
    fileName: datevFileName(period.from, period.to),
    bytes: datevBuchungsstapel({ ...settings, consultantNumber, clientNumber }, period, documents, now),
    count: documents.length,
  };
}
