import iconv from 'iconv-lite';
import type { DatevSettings } from '../../config/accounting.config.js';
import type { TaxTreatment } from '../tax/vat-treatment.js';

/**
 * The accountant's export: invoices and credit notes of a period as a DATEV "Buchungsstapel" in the
 * EXTF format (format version 700, category 21, Buchungsstapel version 13) that DATEV and most German
 * accounting software import (decision 145, docs/billing-accounting.md). One booking per document,
 * gross, on the collective customer account against the revenue account of its VAT treatment —
 * automatic accounts, so DATEV derives the VAT and no BU key is written. Semicolon separated, CRLF,
 * Windows-1252, as DATEV reads it.
 */

export interface ExportedDocument {
  number: string;
  kind: 'invoice' | 'credit_note';
  correctsNumber: string | null;
  issuedAt: Date;
  grossCents: number;
  taxTreatment: TaxTreatment;
  buyerName: string;
  buyerVatId: string | null;
}

/**
 * The columns written: DATEV's first 40 of the Buchungsstapel, named as DATEV names them; the
 * format lets a file end after the last column it uses (here the buyer's VAT id for reverse charge).
 */
const COLUMNS = [
  'Umsatz (ohne Soll/Haben-Kz)',
  'Soll/Haben-Kennzeichen',
  'WKZ Umsatz',
  'Kurs',
  'Basis-Umsatz',
  'WKZ Basis-Umsatz',
  'Konto',
  'Gegenkonto (ohne BU-Schlüssel)',
  'BU-Schlüssel',
  'Belegdatum',
  'Belegfeld 1',
  'Belegfeld 2',
  'Skonto',
  'Buchungstext',
  'Postensperre',
  'Diverse Adressnummer',
  'Geschäftspartnerbank',
  'Sachverhalt',
  'Zinssperre',
  'Beleglink',
  ...Array.from({ length: 8 }, (_, index) => [
    `Beleginfo - Art ${index + 1}`,
    `Beleginfo - Inhalt ${index + 1}`,
  ]).flat(),
  'KOST1 - Kostenstelle',
  'KOST2 - Kostenstelle',
  'Kost-Menge',
  'EU-Land u. UStID',
] as const;
export const DATEV_COLUMN_COUNT = COLUMNS.length;

const BERLIN = 'Europe/Berlin';

/** Parts of an instant as on a calendar in Germany (the books' time zone). */
export function berlinParts(value: Date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: BERLIN,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(value)
      .map((part) => [part.type, part.value]),
  );
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;
}

/** A text field: quoted, quotes doubled, line breaks and semicolons kept out, cut to DATEV's length. */
function text(value: string, maxLength: number): string {
  const cleaned = value
    .replace(/[\r\n\t]+/g, ' ')
    .trim()
    .slice(0, maxLength);
  return `"${cleaned.replace(/"/g, '""')}"`;
}

/** `1234,56`: DATEV's amount, comma decimal, no thousands separator, never negative (S/H says). */
function amount(cents: number): string {
  const absolute = Math.abs(cents);
  return `${Math.floor(absolute / 100)},${String(absolute % 100).padStart(2, '0')}`;
}

/** Belegfeld 1 takes up to 36 of `A-Z a-z 0-9 $ & % * + - /`. */
function documentField(number: string): string {
  return text(number.replace(/[^A-Za-z0-9$&%*+\-/]/g, '-'), 36);
}

const ymd = (parts: { year: string; month: string; day: string }) =>
  `${parts.year}${parts.month}${parts.day}`;

/** The calendar day `YYYY-MM-DD` as DATEV's `YYYYMMDD`. */
const dayField = (isoDay: string) => isoDay.replaceAll('-', '');

/** The first day of the fiscal year the ISO day `from` lies in. */
export function fiscalYearStart(isoDay: string, startMonth: number): string {
  const [year = 0, month = 0] = isoDay.split('-').map(Number);
  const startYear = month >= startMonth ? year : year - 1;
  return `${startYear}-${String(startMonth).padStart(2, '0')}-01`;
}

export function datevFileName(from: string, to: string): string {
  return `EXTF_Buchungsstapel_${dayField(from)}_${dayField(to)}.csv`;
}

/**
 * The Buchungsstapel of the documents (issued between the ISO days `from` and `to`, Berlin time, one
 * fiscal year), as the bytes of the file. A document of zero is left out: DATEV refuses a booking of 0.
 */
export function datevBuchungsstapel(
  settings: DatevSettings & { consultantNumber: number; clientNumber: number },
  period: { from: string; to: string },
  documents: readonly ExportedDocument[],
  createdAt: Date,
): Buffer {
  const created = berlinParts(createdAt);
  const header = [
    text('EXTF', 4),
    '700',
    '21',
    text('Buchungsstapel', 14),
    '13',
    `${ymd(created)}${created.hour}${created.minute}${created.second}${String(createdAt.getMilliseconds()).padStart(3, '0')}`,
    '',
    text('RE', 2),
    text('Mailissa', 25),
    text('', 0),
    String(settings.consultantNumber),
    String(settings.clientNumber),
    dayField(fiscalYearStart(period.from, settings.fiscalYearStartMonth)),
    String(settings.accountLength),
    dayField(period.from),
    dayField(period.to),
    // Bezeichnung: at most 30 characters.
    text(`Mailissa ${dayField(period.from)}-${dayField(period.to)}`, 30),
    text('', 0),
    '1',
    '0',
    '0',
    text('EUR', 3),
    '',
    text('', 0),
    '',
    '',
    text(settings.chart === 'SKR03' ? '03' : '04', 2),
    '',
    '',
    text('', 0),
    text('', 0),
  ];
  const rows = [header.join(';'), COLUMNS.map((column) => text(column, 60)).join(';')];
  for (const document of documents) {
    if (document.grossCents === 0) continue;
    const issued = berlinParts(document.issuedAt);
    // An invoice is owed by the customer (debit); a credit note is owed back (credit). A negative
    // total (a credit for unused time larger than the charge) turns the side around.
    const debit = (document.kind === 'invoice') === document.grossCents > 0;
    const label =
      document.kind === 'credit_note'
        ? `Gutschrift zu ${document.correctsNumber ?? ''} ${document.buyerName}`
        : `Rechnung ${document.buyerName}`;
    const cells: string[] = new Array(COLUMNS.length).fill('');
    cells[0] = amount(document.grossCents);
    cells[1] = text(debit ? 'S' : 'H', 1);
    cells[2] = text('EUR', 3);
    cells[6] = settings.debtorAccount;
    cells[7] = settings.revenueAccounts[document.taxTreatment];
    cells[9] = `${issued.day}${issued.month}`;
    cells[10] = documentField(document.number);
    cells[13] = text(label, 60);
    // The customer's VAT id for the EC Sales List (Zusammenfassende Meldung) of a reverse charge.
    if (document.taxTreatment === 'reverse_charge' && document.buyerVatId)
      cells[COLUMNS.length - 1] = text(document.buyerVatId.replace(/\s+/g, ''), 15);
    rows.push(cells.join(';'));
  }
  return iconv.encode(`${rows.join('\r\n')}\r\n`, 'win1252');
}
