import {
  Badge,
  Caption1,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadState, useLoad } from '../ui/data-view.js';
import { Section, useFormat } from '../ui/layout.js';
import { fetchBillingInvoices, fetchBillingSubscriptions, invoicePdfUrl } from './operator-api.js';

function useMoney() {
  const { i18n } = useTranslation();
  return (cents: number) =>
    new Intl.NumberFormat(i18n.language === 'de' ? 'de-DE' : 'en-IE', {
      style: 'currency',
      currency: 'EUR',
    }).format(cents / 100);
}

/** Subscriptions (overdue ones first: the failed payments), and the invoices issued. */
export function BillingView({ onError }: { onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const money = useMoney();
  const subscriptions = useLoad(
    useCallback(() => fetchBillingSubscriptions(), []),
    onError,
  );
  const invoices = useLoad(
    useCallback(() => fetchBillingInvoices(), []),
    onError,
  );
  const loadFailed = (message: string) => t('operator.loadFailed', { message });
  return (
    <>
      <Section title={t('operator.billingFailed')} labelId="billing-failed-title">
        <LoadState loaded={subscriptions} loadFailed={loadFailed}>
          {({ subscriptions: all }) => {
            const overdue = all.filter((entry) => entry.state === 'past_due' || entry.state === 'suspended');
            return overdue.length === 0 ? (
              <Text>{t('operator.billingNoFailed')}</Text>
            ) : (
              <ul aria-labelledby="billing-failed-title" data-testid="failed-payments">
                {overdue.map((entry) => (
                  <li key={entry.tenantId}>
                    {`${entry.companyName ?? entry.tenantName} (${entry.accountEmail ?? '—'}): ${t(`operator.billingState.${entry.state}`)} · ${t('operator.billingSince', { when: format.dateTime(entry.pastDueSince) })}`}
                  </li>
                ))}
              </ul>
            );
          }}
        </LoadState>
      </Section>
      <Section title={t('operator.billingSubscriptions')} labelId="billing-subscriptions-title">
        <LoadState loaded={subscriptions} loadFailed={loadFailed}>
          {({ subscriptions: all }) =>
            all.length === 0 ? (
              <Text>{t('operator.billingNoSubscriptions')}</Text>
            ) : (
              <Table aria-labelledby="billing-subscriptions-title" data-testid="subscriptions">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>{t('operator.billingCustomer')}</TableHeaderCell>
                    <TableHeaderCell>{t('operator.billingPlan')}</TableHeaderCell>
                    <TableHeaderCell>{t('operator.billingSeats')}</TableHeaderCell>
                    <TableHeaderCell>{t('operator.billingStateTitle')}</TableHeaderCell>
                    <TableHeaderCell>{t('operator.billingPeriodEnd')}</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {all.map((entry) => (
                    <TableRow key={entry.tenantId}>
                      <TableCell>
                        {entry.companyName ?? entry.tenantName}
                        <Caption1>{` ${entry.accountEmail ?? ''}`}</Caption1>
                      </TableCell>
                      <TableCell>
                        {`${entry.plan}${entry.interval ? ` · ${t(`operator.billingInterval.${entry.interval}`)}` : ''}`}
                        {entry.paid ? null : (
                          <Badge appearance="outline">{t('operator.billingUnpaid')}</Badge>
                        )}
                      </TableCell>
                      <TableCell>{entry.seats}</TableCell>
                      <TableCell>
                        {t(`operator.billingState.${entry.state}`)}
                        {entry.cancelAtPeriodEnd ? ` · ${t('operator.billingCancelling')}` : ''}
                      </TableCell>
                      <TableCell>{format.dateTime(entry.periodEnd)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )
          }
        </LoadState>
      </Section>
      <Section title={t('operator.billingInvoices')} labelId="billing-invoices-title">
        <LoadState loaded={invoices} loadFailed={loadFailed}>
          {({ invoices: all }) =>
            all.length === 0 ? (
              <Text>{t('operator.billingNoInvoices')}</Text>
            ) : (
              <Table aria-labelledby="billing-invoices-title" data-testid="invoices">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>{t('operator.billingNumber')}</TableHeaderCell>
                    <TableHeaderCell>{t('operator.billingIssued')}</TableHeaderCell>
                    <TableHeaderCell>{t('operator.billingCustomer')}</TableHeaderCell>
                    <TableHeaderCell>{t('operator.billingNet')}</TableHeaderCell>
                    <TableHeaderCell>{t('operator.billingTax')}</TableHeaderCell>
                    <TableHeaderCell>{t('operator.billingGross')}</TableHeaderCell>
                    <TableHeaderCell>{t('operator.billingPaid')}</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {all.map((invoice) => (
                    <TableRow key={invoice.id}>
                      <TableCell>
                        <Link href={invoicePdfUrl(invoice.id)} download>
                          {invoice.number}
                        </Link>
                      </TableCell>
                      <TableCell>{format.dateTime(invoice.issuedAt)}</TableCell>
                      <TableCell>{`${invoice.buyerName} (${invoice.buyerCountry})`}</TableCell>
                      <TableCell>{money(invoice.netCents)}</TableCell>
                      <TableCell>{`${money(invoice.taxCents)} · ${t(`operator.billingTreatment.${invoice.taxTreatment}`)}`}</TableCell>
                      <TableCell>{money(invoice.grossCents)}</TableCell>
                      <TableCell>{invoice.paidAt ? format.dateTime(invoice.paidAt) : '—'}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )
          }
        </LoadState>
      </Section>
    </>
  );
}
