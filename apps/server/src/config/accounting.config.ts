import { z } from 'zod';

/**
 * The environment of "pay on invoice" (the bank account invoices name) and of the accountant's DATEV
 * export (consultant and client numbers, chart of accounts, the accounts booked to). Part of the one
 * validated configuration (config.ts spreads these in); see docs/billing-accounting.md.
 */

const digits = z.string().regex(/^\d{1,9}$/, 'digits only (an account number)');

export const accountingEnvironment = {
  /** The operator's account that customers paying on invoice transfer to; without it (and outside demo mode) not offered. */
  BANK_TRANSFER_IBAN: z
    .string()
    .transform((value) => value.replace(/\s+/g, '').toUpperCase())
    .refine(isValidIban, 'must be a valid IBAN (country, check digits, account)')
    .optional(),
  BANK_TRANSFER_BIC: z
    .string()
    .regex(/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'must be a BIC (8 or 11 characters)')
    .optional(),
  BANK_TRANSFER_BANK: z.string().min(1).max(100).optional(),
  /** Days from the invoice to its due date. */
  BANK_TRANSFER_DAYS: z.coerce.number().int().min(7).max(60).default(14),
  /** DATEV's Beraternummer and Mandantennummer of the operator's books (the export's header). */
  DATEV_CONSULTANT_NUMBER: z.coerce.number().int().min(1001).max(9_999_999).optional(),
  DATEV_CLIENT_NUMBER: z.coerce.number().int().min(1).max(99_999).optional(),
  DATEV_CHART: z.enum(['SKR03', 'SKR04']).default('SKR03'),
  /** Sachkontenlänge: digits of a general-ledger account; customer (debtor) accounts have one more. */
  DATEV_ACCOUNT_LENGTH: z.coerce.number().int().min(4).max(8).default(4),
  DATEV_FISCAL_YEAR_START_MONTH: z.coerce.number().int().min(1).max(12).default(1),
  DATEV_DEBTOR_ACCOUNT: digits.optional(),
  DATEV_REVENUE_ACCOUNT_STANDARD: digits.optional(),
  DATEV_REVENUE_ACCOUNT_REVERSE_CHARGE: digits.optional(),
  DATEV_REVENUE_ACCOUNT_OUTSIDE_EU: digits.optional(),
};

type AccountingEnvironment = z.output<z.ZodObject<typeof accountingEnvironment>>;

export interface BankTransferDetails {
  accountHolder: string;
  iban: string;
  bic: string | null;
  bankName: string | null;
  /** Days from the invoice to its due date. */
  days: number;
}

export interface DatevSettings {
  /** null outside demo mode when not set: the export is refused until they are. */
  consultantNumber: number | null;
  clientNumber: number | null;
  chart: 'SKR03' | 'SKR04';
  accountLength: number;
  fiscalYearStartMonth: number;
  /** The collective customer account every invoice is booked to (debit) and every credit note from. */
  debtorAccount: string;
  /** The revenue account per VAT treatment of the invoice. */
  revenueAccounts: { standard: string; reverse_charge: string; outside_eu: string };
}

export interface AccountingConfig {
  /** null: pay on invoice is not offered (no bank account configured). */
  bankTransfer: BankTransferDetails | null;
  datev: DatevSettings;
}

/**
 * Revenue accounts of the standard charts, in their four-digit form: revenue at 19 % German VAT,
 * services to an EU business under reverse charge (§ 13b UStG), and services not taxable in Germany
 * (outside the EU). Both charts are automatic accounts: DATEV derives the VAT from the account.
 */
const REVENUE_DEFAULTS = {
  SKR03: { standard: '8400', reverse_charge: '8336', outside_eu: '8338' },
  SKR04: { standard: '4400', reverse_charge: '4336', outside_eu: '4338' },
} as const;

/** The IBAN check (ISO 13616): letters to numbers, check digits moved to the end, mod 97 is 1. */
export function isValidIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const moved = `${iban.slice(4)}${iban.slice(0, 4)}`;
  let remainder = 0;
  for (const char of moved) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** The accounting part of the configuration, and what is wrong with it (reported with the rest). */
export function accountingConfig(
  e: AccountingEnvironment,
  context: { demoMode: boolean; accountHolder: string },
): { config: AccountingConfig; problems: string[] } {
  const problems: string[] = [];
  const length = e.DATEV_ACCOUNT_LENGTH;
  const defaults = REVENUE_DEFAULTS[e.DATEV_CHART];
  // A longer account length extends the four-digit accounts with zeros, as DATEV does (8400 → 84000).
  const general = (value: string | undefined, fallback: string, name: string) => {
    const account = value ?? fallback.padEnd(length, '0');
    if (account.length !== length)
      problems.push(`${name}: a general-ledger account has DATEV_ACCOUNT_LENGTH (${length}) digits`);
    return account;
  };
  const debtorAccount = e.DATEV_DEBTOR_ACCOUNT ?? `1${'0'.repeat(length)}`;
  if (debtorAccount.length !== length + 1 || debtorAccount.startsWith('0'))
    problems.push(
      `DATEV_DEBTOR_ACCOUNT: a customer account has DATEV_ACCOUNT_LENGTH + 1 (${length + 1}) digits, not starting with 0`,
    );
  if ((e.DATEV_CONSULTANT_NUMBER === undefined) !== (e.DATEV_CLIENT_NUMBER === undefined))
    problems.push('DATEV_CONSULTANT_NUMBER, DATEV_CLIENT_NUMBER: set both or neither');
  if (e.BANK_TRANSFER_BIC && !e.BANK_TRANSFER_IBAN)
    problems.push('BANK_TRANSFER_BIC: set BANK_TRANSFER_IBAN too');
  // Demo mode has a fictitious account (a valid IBAN of the German example bank code) and books.
  const iban = e.BANK_TRANSFER_IBAN ?? (context.demoMode ? 'DE02120300000000202051' : undefined);
  return {
    problems,
    config: {
      bankTransfer: iban
        ? {
            accountHolder: context.accountHolder,
            iban,
            bic: e.BANK_TRANSFER_BIC ?? (e.BANK_TRANSFER_IBAN ? null : 'BYLADEM1001'),
            bankName: e.BANK_TRANSFER_BANK ?? (e.BANK_TRANSFER_IBAN ? null : 'Demo Bank'),
            days: e.BANK_TRANSFER_DAYS,
          }
        : null,
      datev: {
        consultantNumber: e.DATEV_CONSULTANT_NUMBER ?? (context.demoMode ? 1001 : null),
        clientNumber: e.DATEV_CLIENT_NUMBER ?? (context.demoMode ? 1 : null),
        chart: e.DATEV_CHART,
        accountLength: length,
        fiscalYearStartMonth: e.DATEV_FISCAL_YEAR_START_MONTH,
        debtorAccount,
        revenueAccounts: {
          standard: general(
            e.DATEV_REVENUE_ACCOUNT_STANDARD,
            defaults.standard,
            'DATEV_REVENUE_ACCOUNT_STANDARD',
          ),
          reverse_charge: general(
            e.DATEV_REVENUE_ACCOUNT_REVERSE_CHARGE,
            defaults.reverse_charge,
            'DATEV_REVENUE_ACCOUNT_REVERSE_CHARGE',
          ),
          outside_eu: general(
            e.DATEV_REVENUE_ACCOUNT_OUTSIDE_EU,
            defaults.outside_eu,
            'DATEV_REVENUE_ACCOUNT_OUTSIDE_EU',
          ),
        },
      },
    },
  };
}
