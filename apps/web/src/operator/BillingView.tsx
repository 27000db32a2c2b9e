import {
  Badge,
  Button,
  Caption1,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
} from '@fluentui/react-components';
import type { OperatorInvoice } from '@mailissa/contracts';
import { type FormEvent, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, isApiError } from '../ui/api-client.js';
import { LoadState, useLoad } from '../ui/data-view.js';
import { ConfirmDialog } from '../ui/dialog.js';
import { Section, useFormat } from '../ui/layout.js';
import {
  createCreditNote,
  fetchBillingInvoices,
  fetchBillingSubscriptions,
  invoicePdfUrl,
} from './operator-api.js';

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
                        {invoice.correctsNumber ? (
                          <Caption1>{` ${t('operator.billingCorrects', { number: invoice.correctsNumber })}`}</Caption1>
                        ) : null}
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
      <Section title={t('operator.creditTitle')} labelId="credit-title">
        <LoadState loaded={invoices} loadFailed={loadFailed}>
          {({ invoices: all }) => (
            <CreditNoteForm invoices={all} onIssued={invoices.reload} onError={onError} money={money} />
          )}
        </LoadState>
      </Section>
    </>
  );
}

/** Euros as typed (`12.50`, `12,50`, `12`) in cents; null when it is not an amount. */
function centsOf(text: string): number | null {
  const match = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

/** A credit note on one invoice: the reason, and a net amount or everything not yet credited. */
function CreditNoteForm({
  invoices,
  onIssued,
  onError,
  money,
}: {
  invoices: OperatorInvoice[];
  onIssued: () => void;
  onError: (error: unknown) => void;
  money: (cents: number) => string;
}) {
  const { t } = useTranslation();
  const creditable = invoices.filter(
    (invoice) => invoice.kind === 'invoice' && invoice.creditableNetCents > 0,
  );
  const [invoiceId, setInvoiceId] = useState('');
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('');
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);
  const chosen = creditable.find((invoice) => invoice.id === invoiceId);
  const amountInvalid = amount.trim() !== '' && centsOf(amount) === null;

  if (creditable.length === 0 && !message) return <Text>{t('operator.creditNothing')}</Text>;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen && reason.trim() && !amountInvalid) setAsking(true);
  };
  const issue = () => {
    setAsking(false);
    if (!chosen) return;
    setBusy(true);
    setMessage(null);
    const netCents = amount.trim() ? (centsOf(amount) ?? undefined) : undefined;
    createCreditNote(chosen.id, { reason: reason.trim(), ...(netCents ? { netCents } : {}) })
      .then(
        (note) => {
          setMessage({
            intent: 'success',
            text: t('operator.creditIssued', { number: note.number, gross: money(note.grossCents) }),
          });
          setInvoiceId('');
          setReason('');
          setAmount('');
          onIssued();
        },
        (cause: unknown) => {
          setMessage({ intent: 'error', text: t('operator.actionFailed', { message: errorMessage(cause) }) });
          if (!isApiError(cause) || cause.status === 401) onError(cause);
        },
      )
      .finally(() => setBusy(false));
  };
  return (
    <form onSubmit={submit} aria-labelledby="credit-title" data-testid="credit-note-form">
      <Caption1>{t('operator.creditNote')}</Caption1>
      <Field label={t('operator.creditInvoice')} required>
        <Select value={invoiceId} onChange={(_event, data) => setInvoiceId(data.value)}>
          <option value="">{t('operator.creditChoose')}</option>
          {creditable.map((invoice) => (
            <option key={invoice.id} value={invoice.id}>
              {t('operator.creditLeft', {
                number: invoice.number,
                customer: invoice.buyerName,
                left: money(invoice.creditableNetCents),
              })}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('operator.creditReason')} required>
        <Textarea value={reason} maxLength={500} onChange={(_event, data) => setReason(data.value)} />
      </Field>
      <Field
        label={t('operator.creditAmount')}
        validationMessage={amountInvalid ? t('operator.creditAmountInvalid') : undefined}
      >
        <Input value={amount} inputMode="decimal" onChange={(_event, data) => setAmount(data.value)} />
      </Field>
      {message ? (
        <MessageBar intent={message.intent}>
          <MessageBarBody>{message.text}</MessageBarBody>
        </MessageBar>
      ) : null}
      <Button
        type="submit"
        appearance="primary"
        disabled={busy || !chosen || !reason.trim() || amountInvalid}
      >
        {t('operator.creditIssue')}
      </Button>
      <ConfirmDialog
        open={asking}
        title={t('operator.creditTitle')}
        confirm={t('operator.creditIssue')}
        dismiss={t('operator.cancel')}
        onConfirm={issue}
        onDismiss={() => setAsking(false)}
      >
        {t('operator.creditConfirm', { number: chosen?.number ?? '' })}
      </ConfirmDialog>
    </form>
  );
}
