import { describe, expect, it } from 'vitest';
import { isValidIban } from './accounting.config.js';
import { ConfigError, loadConfig } from './config.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig({ NODE_ENV: 'test', ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('the accounting configuration', () => {
  it('checks IBANs by their check digits', () => {
    expect(isValidIban('DE89370400440532013000')).toBe(true);
    expect(isValidIban('DE89370400440532013001')).toBe(false);
    expect(isValidIban('XX')).toBe(false);
    expect(problemsOf({ BANK_TRANSFER_IBAN: 'DE89 3704 0044 0532 0130 01' }).join()).toContain(
      'BANK_TRANSFER_IBAN',
    );
  });

  it('offers pay on invoice in demo mode and with a configured account, books to SKR03 by default', () => {
    const demo = loadConfig({ NODE_ENV: 'test' });
    expect(demo.accounting.bankTransfer).toMatchObject({ iban: 'DE02120300000000202051', days: 14 });
    expect(demo.accounting.datev).toMatchObject({
      consultantNumber: 1001,
      debtorAccount: '10000',
      revenueAccounts: { standard: '8400', reverse_charge: '8336', outside_eu: '8338' },
    });
    const configured = loadConfig({
      NODE_ENV: 'test',
      BANK_TRANSFER_IBAN: 'de89 3704 0044 0532 0130 00',
      BANK_TRANSFER_DAYS: '30',
      DATEV_CHART: 'SKR04',
      DATEV_ACCOUNT_LENGTH: '5',
    });
    expect(configured.accounting.bankTransfer).toMatchObject({
      iban: 'DE89370400440532013000',
      bic: null,
      days: 30,
    });
    expect(configured.accounting.datev).toMatchObject({
      debtorAccount: '100000',
      revenueAccounts: { standard: '44000', reverse_charge: '43360', outside_eu: '43380' },
    });
  });

  it('refuses accounts that do not fit the account length, and half of the DATEV numbers', () => {
    const problems = problemsOf({
      DATEV_REVENUE_ACCOUNT_STANDARD: '84000',
      DATEV_DEBTOR_ACCOUNT: '1000',
      DATEV_CONSULTANT_NUMBER: '29098',
    }).join('\n');
    expect(problems).toContain('DATEV_REVENUE_ACCOUNT_STANDARD');
    expect(problems).toContain('DATEV_DEBTOR_ACCOUNT');
    expect(problems).toContain('DATEV_CONSULTANT_NUMBER, DATEV_CLIENT_NUMBER');
    expect(problemsOf({ BANK_TRANSFER_DAYS: '3' }).join()).toContain('BANK_TRANSFER_DAYS');
  });
});
