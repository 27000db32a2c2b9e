import {
  Badge,
  Caption1,
  Link,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes, formatDateTime, Section } from '../ui/layout.js';
import { fetchTransfers, fetchUsers, type PortalTransfer, type PortalUser } from './portal-api.js';

const useStyles = makeStyles({
  // Fluent's tables are fixed-layout; let columns size to their content (addresses, role badges).
  table: { tableLayout: 'auto' },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  nowrap: { whiteSpace: 'nowrap' },
});

function useLoad<T>(load: () => Promise<T>, onError: (error: unknown) => void) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    load().then(
      (value) => {
        if (!cancelled) setData(value);
      },
      (cause: unknown) => {
        if (cancelled) return;
        setError(cause instanceof Error ? cause.message : String(cause));
        onError(cause);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [load, onError]);
  return { data, error };
}

const stateColor = { queued: 'informative', running: 'brand', done: 'success', failed: 'danger' } as const;

export function UsersView({
  tenantName,
  onError,
}: {
  tenantName: string;
  onError: (error: unknown) => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const { data, error } = useLoad(fetchUsers, onError);
  return (
    <Section title={t('portal.usersTitle', { tenant: tenantName })} labelId="users-title">
      {error ? (
        <MessageBar intent="error">
          <MessageBarBody>{t('portal.loadFailed', { message: error })}</MessageBarBody>
        </MessageBar>
      ) : data === null ? (
        <Spinner size="small" />
      ) : data.length === 0 ? (
        <Text>{t('portal.usersEmpty')}</Text>
      ) : (
        <Table aria-labelledby="users-title" data-testid="users-table" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('portal.name')}</TableHeaderCell>
              <TableHeaderCell>{t('portal.email')}</TableHeaderCell>
              <TableHeaderCell>{t('portal.roles')}</TableHeaderCell>
              <TableHeaderCell>{t('portal.licences')}</TableHeaderCell>
              <TableHeaderCell>{t('portal.firstSeen')}</TableHeaderCell>
              <TableHeaderCell>{t('portal.lastSeen')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {data.map((user: PortalUser) => (
              <TableRow key={user.id} data-testid="user-row">
                <TableCell>
                  <Text weight="semibold">{user.displayName}</Text>
                </TableCell>
                <TableCell>{user.email}</TableCell>
                <TableCell>
                  {user.roles.length === 0 ? (
                    <Text>{t('portal.noRole')}</Text>
                  ) : (
                    <span className={styles.badges}>
                      {user.roles.map((role) => (
                        <Badge key={role} appearance="tint" color="brand">
                          {t(`portal.role.${role}`, { defaultValue: role })}
                        </Badge>
                      ))}
                    </span>
                  )}
                </TableCell>
                <TableCell>
                  {user.licences.length === 0
                    ? t('portal.none')
                    : user.licences
                        .map((licence) => t(`portal.licence.${licence}`, { defaultValue: licence }))
                        .join(', ')}
                </TableCell>
                <TableCell className={styles.nowrap}>
                  {formatDateTime(user.firstSeenAt, i18n.language)}
                </TableCell>
                <TableCell className={styles.nowrap}>
                  {formatDateTime(user.lastSeenAt, i18n.language)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Section>
  );
}

export function TransfersView({ days, onError }: { days: number; onError: (error: unknown) => void }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const [load] = useState(() => () => fetchTransfers(days));
  const { data, error } = useLoad(load, onError);
  return (
    <Section title={t('portal.transfersTitle', { days })} labelId="transfers-title">
      {error ? (
        <MessageBar intent="error">
          <MessageBarBody>{t('portal.loadFailed', { message: error })}</MessageBarBody>
        </MessageBar>
      ) : data === null ? (
        <Spinner size="small" />
      ) : data.length === 0 ? (
        <Text>{t('portal.transfersEmpty')}</Text>
      ) : (
        <Table aria-labelledby="transfers-title" data-testid="transfers-table" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('portal.when')}</TableHeaderCell>
              <TableHeaderCell>{t('portal.target')}</TableHeaderCell>
              <TableHeaderCell>{t('portal.by')}</TableHeaderCell>
              <TableHeaderCell>{t('portal.files')}</TableHeaderCell>
              <TableHeaderCell>{t('portal.state')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {data.map((transfer: PortalTransfer) => (
              <TableRow key={transfer.id} data-testid="transfer-row">
                <TableCell className={styles.nowrap}>
                  {formatDateTime(transfer.createdAt, i18n.language)}
                </TableCell>
                <TableCell>
                  <Text weight="semibold">{transfer.target.title}</Text>
                  <br />
                  <Caption1>{transfer.target.category}</Caption1>
                </TableCell>
                <TableCell>
                  {transfer.createdBy ? transfer.createdBy.displayName : t('portal.formerUser')}
                  {transfer.createdBy?.isYou ? ` (${t('portal.you')})` : ''}
                </TableCell>
                <TableCell>
                  {transfer.files.length === 0
                    ? '—'
                    : transfer.files
                        .map((file) => `${file.name} (${formatBytes(file.size, i18n.language)})`)
                        .join(', ')}
                </TableCell>
                <TableCell>
                  <Badge
                    appearance="tint"
                    color={stateColor[transfer.state]}
                    title={transfer.failureReason ?? undefined}
                  >
                    {t(`portal.transferState.${transfer.state}`)}
                  </Badge>{' '}
                  {transfer.state === 'done' && transfer.folderUrl ? (
                    <Link href={transfer.folderUrl} target="_blank" rel="noopener">
                      {t('portal.openFolder')}
                    </Link>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Section>
  );
}
