import { Badge, Caption1, Link, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable, LoadState, useLoad } from '../ui/data-view.js';
import { Section, useFormat } from '../ui/layout.js';
import { openLinkKind } from '../ui/open-link.js';
import { fetchTransfers, fetchUsers, type PortalTransfer, type PortalUser } from './portal-api.js';
import { UserDataActions } from './UserDataActions.js';

const useStyles = makeStyles({
  // Fluent's tables are fixed-layout; let columns size to their content (addresses, role badges).
  table: { tableLayout: 'auto' },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  nowrap: { whiteSpace: 'nowrap' },
});

const stateColor = {
  queued: 'informative',
  running: 'brand',
  done: 'success',
  failed: 'danger',
  cancelled: 'subtle',
} as const;

export function UsersView({
  tenantName,
  onError,
}: {
  tenantName: string;
  onError: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const styles = useStyles();
  const loaded = useLoad(fetchUsers, onError);
  return (
    <Section title={t('portal.usersTitle', { tenant: tenantName })} labelId="users-title">
      <LoadState loaded={loaded} loadFailed={(message) => t('portal.loadFailed', { message })}>
        {(users) => (
          <DataTable<PortalUser>
            rows={users}
            rowKey={(user) => user.id}
            labelId="users-title"
            empty={t('portal.usersEmpty')}
            className={styles.table}
            testId="users-table"
            rowTestId="user-row"
            columns={[
              {
                id: 'name',
                header: t('portal.name'),
                cell: (user) => <Text weight="semibold">{user.displayName}</Text>,
              },
              { id: 'email', header: t('portal.email'), cell: (user) => user.email },
              {
                id: 'roles',
                header: t('portal.roles'),
                cell: (user) =>
                  user.roles.length === 0 ? (
                    <Text>{t('portal.noRole')}</Text>
                  ) : (
                    <span className={styles.badges}>
                      {user.roles.map((role) => (
                        <Badge key={role} appearance="tint" color="brand">
                          {t(`portal.role.${role}`, { defaultValue: role })}
                        </Badge>
                      ))}
                    </span>
                  ),
              },
              {
                id: 'licences',
                header: t('portal.licences'),
                cell: (user) =>
                  user.licences.length === 0
                    ? t('portal.none')
                    : user.licences
                        .map((licence) => t(`portal.licence.${licence}`, { defaultValue: licence }))
                        .join(', '),
              },
              {
                id: 'first-seen',
                header: t('portal.firstSeen'),
                className: styles.nowrap,
                cell: (user) => format.dateTime(user.firstSeenAt),
              },
              {
                id: 'last-seen',
                header: t('portal.lastSeen'),
                className: styles.nowrap,
                cell: (user) => format.dateTime(user.lastSeenAt),
              },
              {
                id: 'data',
                header: t('rights.yourData'),
                cell: (user) => <UserDataActions user={user} onDone={loaded.reload} onError={onError} />,
              },
            ]}
          />
        )}
      </LoadState>
    </Section>
  );
}

export function TransfersView({ days, onError }: { days: number; onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const styles = useStyles();
  // The first `days` only: a stable loader, so the list loads once per mount.
  const [load] = useState(() => () => fetchTransfers(days));
  const loaded = useLoad(load, onError);
  return (
    <Section title={t('portal.transfersTitle', { days })} labelId="transfers-title">
      <LoadState loaded={loaded} loadFailed={(message) => t('portal.loadFailed', { message })}>
        {(transfers) => (
          <DataTable<PortalTransfer>
            rows={transfers}
            rowKey={(transfer) => transfer.id}
            labelId="transfers-title"
            empty={t('portal.transfersEmpty')}
            className={styles.table}
            testId="transfers-table"
            rowTestId="transfer-row"
            columns={[
              {
                id: 'when',
                header: t('portal.when'),
                className: styles.nowrap,
                cell: (transfer) => format.dateTime(transfer.createdAt),
              },
              {
                id: 'target',
                header: t('portal.target'),
                cell: (transfer) => (
                  <>
                    <Text weight="semibold">{transfer.target.title}</Text>
                    <br />
                    <Caption1>{transfer.target.category}</Caption1>
                  </>
                ),
              },
              {
                id: 'by',
                header: t('portal.by'),
                cell: (transfer) => (
                  <>
                    {transfer.createdBy ? transfer.createdBy.displayName : t('portal.formerUser')}
                    {transfer.createdBy?.isYou ? ` (${t('portal.you')})` : ''}
                  </>
                ),
              },
              {
                id: 'files',
                header: t('portal.files'),
                cell: (transfer) =>
                  transfer.files.length === 0
                    ? '—'
                    : transfer.files.map((file) => `${file.name} (${format.bytes(file.size)})`).join(', '),
              },
              {
                id: 'state',
                header: t('portal.state'),
                cell: (transfer) => (
                  <>
                    <Badge
                      appearance="tint"
                      color={stateColor[transfer.state]}
                      title={transfer.failureReason ?? undefined}
                    >
                      {t(`portal.transferState.${transfer.state}`)}
                    </Badge>{' '}
                    {transfer.state === 'done' && transfer.folderUrl ? (
                      <Link href={transfer.folderUrl} target="_blank" rel="noopener">
                        {t(`portal.openLink.${openLinkKind(transfer.target.connectorType)}`)}
                      </Link>
                    ) : null}
                  </>
                ),
              },
            ]}
          />
        )}
      </LoadState>
    </Section>
  );
}
