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
import type { OperatorInvoice, OperatorSubscription } from '@mailissa/contracts';
import { type FormEvent, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, isApiError } from '../ui/api-client.js';
import { LoadState, useLoad } from '../ui/data-view.js';
import { ConfirmDialog } from '../ui/dialog.js';
import { Section, useFormat } from '../ui/layout.js';
import {
  createCreditNote,
  datevExportUrl,
  extendTrial,
  fetchBillingInvoices,
  fetchBillingSubscriptions,
  invoicePdfUrl,
  markInvoicePaid,
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
      <Section title={t('operator.transfersTitle')} labelId="transfers-title">
        <LoadState loaded={invoices} loadFailed={loadFailed}>
          {({ invoices: all }) => (
            <OpenTransfers
              invoices={all}
              onRecorded={() => {
                invoices.reload();
                subscriptions.reload();
              }}
              onError={onError}
              money={money}
            />
          )}
        </LoadState>
      </Section>
      <Section title={t('operator.trialsTitle')} labelId="trials-title">
        <LoadState loaded={subscriptions} loadFailed={loadFailed}>
          {({ subscriptions: all }) => (
            <Trials subscriptions={all} onExtended={subscriptions.reload} onError={onError} />
          )}
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
                        {entry.paid && entry.collectionMethod === 'send_invoice' ? (
                          <Badge appearance="tint">{t('operator.billingOnInvoice')}</Badge>
                        ) : null}
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
                      <TableCell data-testid="invoice-paid">
                        {invoice.paidAt
                          ? t('operator.billingPaidCell', {
                              when: format.dateTime(invoice.paidAt),
                              how: invoice.paymentMethod
                                ? t(`operator.billingPaidHow.${invoice.paymentMethod}`)
                                : '—',
                            })
                          : invoice.dueAt
                            ? t('operator.billingOpenDue', { when: format.dateTime(invoice.dueAt) })
                            : '—'}
                        {invoice.creditedGrossCents > 0 ? (
                          <Caption1>{` ${t('operator.billingCredited', { amount: money(invoice.creditedGrossCents) })}`}</Caption1>
                        ) : null}
                      </TableCell>
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
      <Section title={t('operator.exportTitle')} labelId="export-title">
        <DatevExport />
      </Section>
    </>
  );
}

type Message = { intent: 'success' | 'error'; text: string } | null;

function Feedback({ message }: { message: Message }) {
  return message ? (
    <MessageBar intent={message.intent}>
      <MessageBarBody>{message.text}</MessageBarBody>
    </MessageBar>
  ) : null;
}

/** Invoices paid on invoice that are still open; the operator records a transfer once it arrived. */
function OpenTransfers({
  invoices,
  onRecorded,
  onError,
  money,
}: {
  invoices: OperatorInvoice[];
  onRecorded: () => void;
  onError: (error: unknown) => void;
  money: (cents: number) => string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const open = invoices.filter((invoice) => invoice.kind === 'invoice' && !invoice.paidAt && invoice.dueAt);
  const [asking, setAsking] = useState<OperatorInvoice | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const record = () => {
    const chosen = asking;
    setAsking(null);
    if (!chosen) return;
    setBusy(true);
    setMessage(null);
    markInvoicePaid(chosen.id)
      .then(
        () => {
          setMessage({ intent: 'success', text: t('operator.transfersMarked', { number: chosen.number }) });
          onRecorded();
        },
        (cause: unknown) => {
          setMessage({ intent: 'error', text: t('operator.actionFailed', { message: errorMessage(cause) }) });
          if (!isApiError(cause) || cause.status === 401) onError(cause);
        },
      )
      .finally(() => setBusy(false));
  };
  const now = Date.now();
  return (
    <>
      <Caption1>{t('operator.transfersNote')}</Caption1>
      <Feedback message={message} />
      {open.length === 0 ? (
        <Text>{t('operator.transfersNone')}</Text>
      ) : (
        <Table aria-labelledby="transfers-title" data-testid="open-transfers">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('operator.billingNumber')}</TableHeaderCell>
              <TableHeaderCell>{t('operator.billingCustomer')}</TableHeaderCell>
              <TableHeaderCell>{t('operator.billingGross')}</TableHeaderCell>
              <TableHeaderCell>{t('operator.transfersDue')}</TableHeaderCell>
              <TableHeaderCell />
            </TableRow>
          </TableHeader>
          <TableBody>
            {open.map((invoice) => (
              <TableRow key={invoice.id}>
                <TableCell>{invoice.number}</TableCell>
                <TableCell>{invoice.buyerName}</TableCell>
                <TableCell>{money(invoice.grossCents - invoice.creditedGrossCents)}</TableCell>
                <TableCell>
                  {format.dateTime(invoice.dueAt)}
                  {Date.parse(invoice.dueAt ?? '') < now ? (
                    <Badge appearance="filled" color="danger">
                      {t('operator.transfersOverdue')}
                    </Badge>
                  ) : null}
                </TableCell>
                <TableCell>
                  <Button disabled={busy} onClick={() => setAsking(invoice)}>
                    {t('operator.transfersMark')}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <ConfirmDialog
        open={asking !== null}
        title={t('operator.transfersTitle')}
        confirm={t('operator.transfersMark')}
        dismiss={t('operator.cancel')}
        onConfirm={record}
        onDismiss={() => setAsking(null)}
      >
        {t('operator.transfersConfirm', {
          gross: money((asking?.grossCents ?? 0) - (asking?.creditedGrossCents ?? 0)),
          number: asking?.number ?? '',
          customer: asking?.buyerName ?? '',
        })}
      </ConfirmDialog>
    </>
  );
}

/** Free trials with their end; the operator adds 1 to 30 days to one. */
function Trials({
  subscriptions,
  onExtended,
  onError,
}: {
  subscriptions: OperatorSubscription[];
  onExtended: () => void;
  onError: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const trials = subscriptions.filter(
    (entry) => !entry.paid && (entry.state === 'trial' || entry.state === 'expired'),
  );
  const [days, setDays] = useState<Record<string, string>>({});
  const [asking, setAsking] = useState<{ entry: OperatorSubscription; days: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const daysOf = (tenantId: string): number | null => {
    const typed = (days[tenantId] ?? '7').trim();
    return /^\d{1,2}$/.test(typed) && Number(typed) >= 1 && Number(typed) <= 30 ? Number(typed) : null;
  };
  const customer = (entry: OperatorSubscription) => entry.companyName ?? entry.tenantName;
  const extend = () => {
    const chosen = asking;
    setAsking(null);
    if (!chosen) return;
    setBusy(true);
    setMessage(null);
    extendTrial(chosen.entry.tenantId, { days: chosen.days })
      .then(
        (updated) => {
          setMessage({
            intent: 'success',
            text: t('operator.trialsExtended', {
              customer: customer(chosen.entry),
              when: format.dateTime(updated.periodEnd),
            }),
          });
          onExtended();
        },
        (cause: unknown) => {
          setMessage({ intent: 'error', text: t('operator.actionFailed', { message: errorMessage(cause) }) });
          if (!isApiError(cause) || cause.status === 401) onError(cause);
        },
      )
      .finally(() => setBusy(false));
  };
  const now = Date.now();
  return (
    <>
      <Feedback message={message} />
      {trials.length === 0 ? (
        <Text>{t('operator.trialsNone')}</Text>
      ) : (
        <Table aria-labelledby="trials-title" data-testid="trials">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('operator.billingCustomer')}</TableHeaderCell>
              <TableHeaderCell>{t('operator.billingPlan')}</TableHeaderCell>
              <TableHeaderCell>{t('operator.trialsEnds')}</TableHeaderCell>
              <TableHeaderCell>{t('operator.trialsDays')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {trials.map((entry) => {
              const chosenDays = daysOf(entry.tenantId);
              return (
                <TableRow key={entry.tenantId}>
                  <TableCell>
                    {customer(entry)}
                    <Caption1>{` ${entry.accountEmail ?? ''}`}</Caption1>
                  </TableCell>
                  <TableCell>{entry.plan}</TableCell>
                  <TableCell data-testid="trial-end">
                    {format.dateTime(entry.periodEnd)}
                    {Date.parse(entry.periodEnd) < now ? ` · ${t('operator.trialsEnded')}` : ''}
                  </TableCell>
                  <TableCell>
                    <form
                      onSubmit={(event: FormEvent) => {
                        event.preventDefault();
                        if (chosenDays !== null) setAsking({ entry, days: chosenDays });
                      }}
                    >
                      <Field
                        label={t('operator.trialsDays')}
                        validationMessage={chosenDays === null ? t('operator.trialsDaysInvalid') : undefined}
                      >
                        <Input
                          value={days[entry.tenantId] ?? '7'}
                          inputMode="numeric"
                          onChange={(_event, data) =>
                            setDays((current) => ({ ...current, [entry.tenantId]: data.value }))
                          }
                        />
                      </Field>
                      <Button type="submit" disabled={busy || chosenDays === null}>
                        {t('operator.trialsExtend')}
                      </Button>
                    </form>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      <ConfirmDialog
        open={asking !== null}
        title={t('operator.trialsTitle')}
        confirm={t('operator.trialsExtend')}
        dismiss={t('operator.cancel')}
        onConfirm={extend}
        onDismiss={() => setAsking(null)}
      >
        {t('operator.trialsConfirm', {
          customer: asking ? customer(asking.entry) : '',
          days: asking?.days ?? 0,
        })}
      </ConfirmDialog>
    </>
  );
}

/** `YYYY-MM-DD` of a local calendar day. */
function isoDay(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** The accountant's download: a period (the last month by default) as a DATEV Buchungsstapel. */
function DatevExport() {
  const { t } = useTranslation();
  const [from, setFrom] = useState(() => {
    const today = new Date();
    return isoDay(new Date(today.getFullYear(), today.getMonth() - 1, 1));
  });
  const [to, setTo] = useState(() => {
    const today = new Date();
    return isoDay(new Date(today.getFullYear(), today.getMonth(), 0));
  });
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  return (
    <div data-testid="datev-export">
      <Caption1>{t('operator.exportNote')}</Caption1>
      <Field label={t('operator.exportFrom')}>
        <Input type="date" value={from} onChange={(_event, data) => setFrom(data.value)} />
      </Field>
      <Field
        label={t('operator.exportTo')}
        validationMessage={valid ? undefined : t('operator.exportInvalid')}
      >
        <Input type="date" value={to} onChange={(_event, data) => setTo(data.value)} />
      </Field>
      {valid ? (
        <Link href={datevExportUrl(from, to)} download>
          {t('operator.exportDownload')}
        </Link>
      ) : null}
    </div>
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
