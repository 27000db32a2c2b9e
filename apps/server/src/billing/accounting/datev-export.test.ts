import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { DatevSettings } from '../../config/accounting.config.js';
import {
  DATEV_COLUMN_COUNT,
  datevBuchungsstapel,
  type ExportedDocument,
  fiscalYearStart,
} from './datev-export.js';
import { berlinDayStart } from './export-datev.js';

const SETTINGS: DatevSettings & { consultantNumber: number; clientNumber: number } = {
  consultantNumber: 29098,
  clientNumber: 55003,
  chart: 'SKR03',
  accountLength: 4,
  fiscalYearStartMonth: 1,
  debtorAccount: '10000',
  revenueAccounts: { standard: '8400', reverse_charge: '8336', outside_eu: '8338' },
};

const invoice = (overrides: Partial<ExportedDocument>): ExportedDocument => ({
  number: '2026-00001',
  kind: 'invoice',
  correctsNumber: null,
  issuedAt: new Date('2026-03-05T10:00:00Z'),
  grossCents: 11_900,
  taxTreatment: 'standard',
  buyerName: 'Müller GmbH',
  buyerVatId: null,
  ...overrides,
});

function lines(documents: ExportedDocument[], period = { from: '2026-03-01', to: '2026-03-31' }) {
  const bytes = datevBuchungsstapel(SETTINGS, period, documents, new Date('2026-04-02T08:30:15.123Z'));
  return { bytes, rows: iconv.decode(bytes, 'win1252').split('\r\n').slice(0, -1) };
}

describe('the DATEV Buchungsstapel', () => {
  it('has the EXTF header of 31 fields with books, fiscal year, period and chart', () => {
    const [header] = lines([]).rows;
    expect(header?.split(';')).toEqual([
      '"EXTF"',
      '700',
      '21',
      '"Buchungsstapel"',
      '13',
      '20260402103015123',
      '',
      '"RE"',
      '"Mailissa"',
      '""',
      '29098',
      '55003',
      '20260101',
      '4',
      '20260301',
      '20260331',
      '"Mailissa 20260301-20260331"',
      '""',
      '1',
      '0',
      '0',
      '"EUR"',
      '',
      '""',
      '',
      '',
      '"03"',
      '',
      '',
      '""',
      '""',
    ]);
  });

  it('books an invoice gross on the customer account (debit) and a credit note back (credit)', () => {
    const { rows, bytes } = lines([
      invoice({}),
      invoice({
        number: 'CN-2026-00001',
        kind: 'credit_note',
        correctsNumber: '2026-00001',
        grossCents: 1_190,
        issuedAt: new Date('2026-03-31T22:30:00Z'),
      }),
    ]);
    expect(rows).toHaveLength(4);
    expect(rows[1]?.split(';')).toHaveLength(DATEV_COLUMN_COUNT);
    const first = rows[2]?.split(';') ?? [];
    expect(first).toHaveLength(DATEV_COLUMN_COUNT);
    expect(first.slice(0, 14)).toEqual([
      '119,00',
      '"S"',
      '"EUR"',
      '',
      '',
      '',
      '10000',
      '8400',
      '',
      '0503',
      '"2026-00001"',
      '',
      '',
      '"Rechnung Müller GmbH"',
    ]);
    // 22:30 UTC on 31 March is already 1 April in Germany (summer time): the booking date follows Berlin.
    const second = rows[3]?.split(';') ?? [];
    expect([second[0], second[1], second[9], second[13]]).toEqual([
      '11,90',
      '"H"',
      '0104',
      '"Gutschrift zu 2026-00001 Müller GmbH"',
    ]);
    // Windows-1252: ü is the single byte 0xFC.
    expect(bytes.includes(Buffer.from('M\u00fcller', 'latin1'))).toBe(true);
    expect(bytes.includes(Buffer.from('Müller', 'utf8'))).toBe(false);
  });

  it('turns a negative total around, leaves a zero out, and names the VAT id of a reverse charge', () => {
    const { rows } = lines([
      invoice({ grossCents: -250 }),
      invoice({ number: '2026-00002', grossCents: 0 }),
      invoice({
        number: '2026-00003',
        taxTreatment: 'reverse_charge',
        buyerVatId: 'ATU 12345675',
        buyerName: 'Wien "Süd" GmbH',
      }),
      invoice({ number: '2026-00004', taxTreatment: 'outside_eu', buyerVatId: 'CHE-123.456.789' }),
    ]);
    expect(rows).toHaveLength(5);
    expect(rows[2]?.split(';').slice(0, 2)).toEqual(['2,50', '"H"']);
    const reverse = rows[3]?.split(';') ?? [];
    expect([reverse[7], reverse[13], reverse.at(-1)]).toEqual([
      '8336',
      '"Rechnung Wien ""Süd"" GmbH"',
      '"ATU12345675"',
    ]);
    const outside = rows[4]?.split(';') ?? [];
    expect([outside[7], outside.at(-1)]).toEqual(['8338', '']);
  });
});

describe('periods', () => {
  it('know the fiscal year they lie in and the instant a German day starts', () => {
    expect(fiscalYearStart('2026-03-05', 1)).toBe('2026-01-01');
    expect(fiscalYearStart('2026-03-05', 7)).toBe('2025-07-01');
    expect(fiscalYearStart('2026-07-01', 7)).toBe('2026-07-01');
    expect(berlinDayStart('2026-01-15').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(berlinDayStart('2026-07-15').toISOString()).toBe('2026-07-14T22:00:00.000Z');
  });
});
