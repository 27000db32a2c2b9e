import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownloadRegular } from '@fluentui/react-icons';
import type { AuditPage } from '@mailissa/contracts';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { Section, useFormat } from '../../ui/layout.js';
import { LoadingSpinner } from '../../ui/loading-spinner';
import { type AuditFilter, auditCsvUrl, fetchAudit } from '../admin/admin-api.js';

const PAGE_SIZE = 50;
const ACTIONS = [
  'licence',
  'licence.assigned',
  'licence.unassigned',
  'role',
  'role.granted',
  'role.revoked',
  'setting.changed',
] as const;

const useStyles = makeStyles({
  filters: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  tableWrap: { overflowX: 'auto', minHeight: '240px' },
  table: { tableLayout: 'auto' },
  nowrap: { whiteSpace: 'nowrap' },
  change: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    wordBreak: 'break-word',
  },
  pager: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
});

/** A day picked in the page (local time) as the instant it starts; `nextDay` for an inclusive end. */
function dayStart(day: string, nextDay = false): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const date = new Date(`${day}T00:00:00`);
  if (nextDay) date.setDate(date.getDate() + 1);
  return date.toISOString();
}

function describeChange(before: unknown, after: unknown): string {
  const text = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));
  const was = text(before);
  const now = text(after);
  return was && now ? `${was} → ${now}` : was || now;
}

/** The audit log: filter by person, action and days, paged on the server, and the same as CSV. */
export function AuditTab({ onError }: { onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<AuditPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  const filter: AuditFilter = useMemo(
    () => ({
      ...(actor ? { actorUserId: actor } : {}),
      ...(action ? { action } : {}),
      ...(dayStart(from) ? { from: dayStart(from) } : {}),
      ...(dayStart(to, true) ? { to: dayStart(to, true) } : {}),
    }),
    [actor, action, from, to],
  );

  useEffect(() => {
    let cancelled = false;
    fetchAudit(filter, page, PAGE_SIZE).then(
      (answer) => {
        if (cancelled) return;
        setData(answer);
        setError(null);
      },
      (cause: unknown) => {
        if (cancelled) return;
        setError(errorMessage(cause));
        onError(cause);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [filter, page, onError]);

  const actionName = (value: string) =>
    value.includes('.')
      ? t(`admin.audit.actions.${value}`, { defaultValue: value })
      : t(`admin.audit.areas.${value}`, { defaultValue: value });
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const filtered = (update: () => void) => {
    update();
    setPage(1);
  };

  return (
    <Section
      title={t('admin.audit.title')}
      labelId="audit-title"
      actions={
        <Button
          as="a"
          href={auditCsvUrl(filter)}
          download
          icon={<ArrowDownloadRegular />}
          data-testid="audit-export"
        >
          {t('admin.audit.export')}
        </Button>
      }
    >
      <search className={styles.filters}>
        <Field label={t('admin.audit.person')}>
          <Select
            value={actor}
            onChange={(_event, value) => filtered(() => setActor(value.value))}
            data-testid="audit-person"
          >
            <option value="">{t('admin.audit.anyone')}</option>
            {(data?.actors ?? []).map((person) => (
              <option key={person.userId} value={person.userId}>
                {person.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('admin.audit.action')}>
          <Select
            value={action}
            onChange={(_event, value) => filtered(() => setAction(value.value))}
            data-testid="audit-action"
          >
            <option value="">{t('admin.audit.anyAction')}</option>
            {ACTIONS.map((value) => (
              <option key={value} value={value}>
                {actionName(value)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('admin.audit.from')}>
          <Input
            type="date"
            value={from}
            onChange={(_event, value) => filtered(() => setFrom(value.value))}
          />
        </Field>
        <Field label={t('admin.audit.to')}>
          <Input type="date" value={to} onChange={(_event, value) => filtered(() => setTo(value.value))} />
        </Field>
      </search>
      {error ? (
        <MessageBar intent="error">
          <MessageBarBody>{t('portal.loadFailed', { message: error })}</MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.tableWrap}>
        {data === null ? (
          error ? null : (
            <LoadingSpinner size="small" />
          )
        ) : data.events.length === 0 ? (
          <Text>{t('admin.audit.empty')}</Text>
        ) : (
          <Table aria-labelledby="audit-title" className={styles.table} data-testid="audit-table">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('admin.audit.when')}</TableHeaderCell>
                <TableHeaderCell>{t('admin.audit.who')}</TableHeaderCell>
                <TableHeaderCell>{t('admin.audit.what')}</TableHeaderCell>
                <TableHeaderCell>{t('admin.audit.subject')}</TableHeaderCell>
                <TableHeaderCell>{t('admin.audit.change')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.events.map((event) => (
                <TableRow key={event.id} data-testid="audit-row">
                  <TableCell className={styles.nowrap}>{format.dateTime(event.occurredAt)}</TableCell>
                  <TableCell>{event.actor.name}</TableCell>
                  <TableCell>{actionName(event.action)}</TableCell>
                  <TableCell>{event.subject.label ?? event.subject.type}</TableCell>
                  <TableCell className={styles.change}>{describeChange(event.before, event.after)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>
      <nav className={styles.pager} aria-label={t('admin.users.pagination')}>
        <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>
          {t('admin.users.previous')}
        </Button>
        <Text>
          {t('admin.users.page', { page, pages })}
          {data ? ` · ${data.total}` : ''}
        </Text>
        <Button disabled={page >= pages} onClick={() => setPage(page + 1)}>
          {t('admin.users.next')}
        </Button>
      </nav>
    </Section>
  );
}
