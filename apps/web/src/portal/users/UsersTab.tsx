import {
  Button,
  Checkbox,
  Field,
  MessageBar,
  MessageBarBody,
  makeStyles,
  SearchBox,
  Select,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { AdminUser, AdminUsersPage, AdminUsersQuery, LicensedModule, Role } from '@mailissa/contracts';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, isApiError } from '../../ui/api-client.js';
import { LoadState, useLoad } from '../../ui/data-view.js';
import { Section, useFormat } from '../../ui/layout.js';
import { LoadingSpinner } from '../../ui/loading-spinner';
import { changeLicences, fetchAdminUsers, fetchSeatOverview, setRole } from '../admin/admin-api.js';
import { UserDataActions } from '../UserDataActions.js';
import { GroupAssignDialog } from './GroupAssignDialog.js';
import { SeatSummary } from './SeatSummary.js';
import { useDebounced } from './use-debounced.js';

const PAGE_SIZE = 50;
const MODULES: LicensedModule[] = ['transfer', 'team'];
const ROLES: Role[] = ['user_administrator', 'tenant_administrator'];

const useStyles = makeStyles({
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  search: { minWidth: '280px', flexGrow: 1 },
  table: { tableLayout: 'auto' },
  // The grid keeps its height while a page loads, so nothing below it jumps.
  tableWrap: { overflowX: 'auto', minHeight: '240px' },
  pager: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  roles: { display: 'flex', flexDirection: 'column' },
  nowrap: { whiteSpace: 'nowrap' },
  selectCell: { width: '44px' },
});

type Notice = { intent: 'success' | 'error'; text: string } | null;

/**
 * Users and licences: the seat header with its chart, a server-paged, searched and sorted grid that
 * stays quick with 10,000 users, bulk licence changes for a selection or a directory group, and the
 * role switches (tenant administrators).
 */
export function UsersTab({
  canManageRoles,
  onError,
}: {
  canManageRoles: boolean;
  onError: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const seats = useLoad(fetchSeatOverview, onError);
  const [text, setText] = useState('');
  const search = useDebounced(text.trim(), 300);
  const [sort, setSort] = useState<AdminUsersQuery['sort']>('name');
  const [direction, setDirection] = useState<AdminUsersQuery['direction']>('asc');
  const [page, setPage] = useState(1);
  const [generation, setGeneration] = useState(0);
  const [data, setData] = useState<AdminUsersPage | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [module, setModule] = useState<LicensedModule>('transfer');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [groupOpen, setGroupOpen] = useState(false);

  // A new search starts on page one.
  useEffect(() => {
    void search;
    setPage(1);
  }, [search]);

  useEffect(() => {
    void generation;
    const controller = new AbortController();
    fetchAdminUsers(
      { search: search || undefined, sort, direction, page, pageSize: PAGE_SIZE },
      controller.signal,
    ).then(
      (answer) => {
        setData(answer);
        setLoadError(null);
      },
      (error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        setLoadError(errorMessage(error));
        onError(error);
      },
    );
    return () => controller.abort();
  }, [search, sort, direction, page, generation, onError]);

  const reloadAll = useCallback(() => {
    setGeneration((value) => value + 1);
    seats.reload();
  }, [seats.reload]);

  const moduleName = (value: LicensedModule) => t(`portal.licence.${value}`);

  const failed = (error: unknown) => {
    onError(error);
    if (isApiError(error, 'no_seats_left'))
      setNotice({ intent: 'error', text: t('admin.users.noSeatsLeft', { module: moduleName(module) }) });
    else if (isApiError(error, 'last_tenant_administrator'))
      setNotice({ intent: 'error', text: t('admin.users.lastTenantAdministrator') });
    else
      setNotice({ intent: 'error', text: t('admin.users.actionFailed', { message: errorMessage(error) }) });
  };

  const change = async (
    operation: 'assign' | 'unassign',
    who: { userIds: string[] } | { groupId: string },
  ) => {
    setBusy(true);
    setNotice(null);
    try {
      const result = await changeLicences(operation, module, who);
      const parts = [t('admin.users.changed', { count: result.changed })];
      if (result.addedFromDirectory > 0)
        parts.push(t('admin.users.addedFromDirectory', { count: result.addedFromDirectory }));
      setNotice({ intent: 'success', text: parts.join(' ') });
      setSelected(new Set());
      reloadAll();
    } catch (error) {
      failed(error);
    } finally {
      setBusy(false);
    }
  };

  const toggleRole = async (user: AdminUser, role: Role, granted: boolean) => {
    setNotice(null);
    try {
      await setRole(user.id, role, granted);
      setNotice({ intent: 'success', text: t('admin.users.roleChanged', { name: user.displayName }) });
      setGeneration((value) => value + 1);
    } catch (error) {
      failed(error);
    }
  };

  const sortBy = (column: AdminUsersQuery['sort']) => {
    if (sort === column) setDirection(direction === 'asc' ? 'desc' : 'asc');
    else {
      setSort(column);
      setDirection('asc');
    }
    setPage(1);
  };
  const sortDirection = (column: AdminUsersQuery['sort']) =>
    sort === column ? (direction === 'asc' ? 'ascending' : 'descending') : undefined;

  const users = data?.users ?? [];
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const allOnPage = users.length > 0 && users.every((user) => selected.has(user.id));
  const someOnPage = users.some((user) => selected.has(user.id));
  const toggle = (ids: string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  return (
    <>
      <Section title={t('admin.seats.title')} labelId="seats-title">
        <LoadState loaded={seats} loadFailed={(message) => t('portal.loadFailed', { message })}>
          {(overview) => <SeatSummary overview={overview} />}
        </LoadState>
      </Section>
      <Section title={t('portal.tabUsers')} labelId="users-title">
        <search className={styles.toolbar}>
          <Field label={t('admin.users.search')} className={styles.search}>
            <SearchBox
              value={text}
              onChange={(_event, value) => setText(value.value)}
              data-testid="user-search"
            />
          </Field>
        </search>
        <div className={styles.toolbar}>
          <Field label={t('admin.users.module')}>
            <Select
              value={module}
              onChange={(_event, value) => setModule(value.value === 'team' ? 'team' : 'transfer')}
              data-testid="licence-module"
            >
              {MODULES.map((value) => (
                <option key={value} value={value}>
                  {moduleName(value)}
                </option>
              ))}
            </Select>
          </Field>
          <Button
            appearance="primary"
            disabled={busy || selected.size === 0}
            onClick={() => void change('assign', { userIds: [...selected] })}
            data-testid="assign-licence"
          >
            {t('admin.users.assign')}
          </Button>
          <Button
            disabled={busy || selected.size === 0}
            onClick={() => void change('unassign', { userIds: [...selected] })}
            data-testid="unassign-licence"
          >
            {t('admin.users.unassign')}
          </Button>
          <Button disabled={busy} onClick={() => setGroupOpen(true)} data-testid="assign-group">
            {t('admin.users.assignGroup')}
          </Button>
          <Text role="status" aria-live="polite">
            {t('admin.users.selected', { count: selected.size })}
          </Text>
          {busy ? <LoadingSpinner size="tiny" /> : null}
        </div>
        {notice ? (
          <MessageBar intent={notice.intent} data-testid="users-notice">
            <MessageBarBody>{notice.text}</MessageBarBody>
          </MessageBar>
        ) : null}
        {loadError ? (
          <MessageBar intent="error">
            <MessageBarBody>{t('portal.loadFailed', { message: loadError })}</MessageBarBody>
          </MessageBar>
        ) : null}
        <div className={styles.tableWrap}>
          <Table sortable aria-labelledby="users-title" className={styles.table} data-testid="users-grid">
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.selectCell} sortable={false}>
                  <Checkbox
                    aria-label={t('admin.users.selectAll')}
                    checked={allOnPage ? true : someOnPage ? 'mixed' : false}
                    onChange={(_event, value) =>
                      toggle(
                        users.map((user) => user.id),
                        value.checked === true,
                      )
                    }
                  />
                </TableHeaderCell>
                <TableHeaderCell sortDirection={sortDirection('name')} onClick={() => sortBy('name')}>
                  {t('portal.name')}
                </TableHeaderCell>
                <TableHeaderCell sortDirection={sortDirection('email')} onClick={() => sortBy('email')}>
                  {t('portal.email')}
                </TableHeaderCell>
                <TableHeaderCell sortable={false}>{t('portal.licences')}</TableHeaderCell>
                <TableHeaderCell sortable={false}>{t('portal.roles')}</TableHeaderCell>
                <TableHeaderCell sortDirection={sortDirection('lastSeen')} onClick={() => sortBy('lastSeen')}>
                  {t('portal.lastSeen')}
                </TableHeaderCell>
                <TableHeaderCell sortable={false}>{t('rights.yourData')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {users.map((user) => (
                <TableRow key={user.id} data-testid="user-row">
                  <TableCell>
                    <Checkbox
                      aria-label={t('admin.users.selectUser', { name: user.displayName })}
                      checked={selected.has(user.id)}
                      onChange={(_event, value) => toggle([user.id], value.checked === true)}
                    />
                  </TableCell>
                  <TableCell>
                    <Text weight="semibold">{user.displayName}</Text>
                  </TableCell>
                  <TableCell>{user.email}</TableCell>
                  <TableCell data-testid="user-licences">
                    {user.licences.length === 0 ? t('portal.none') : user.licences.map(moduleName).join(', ')}
                  </TableCell>
                  <TableCell>
                    <span className={styles.roles}>
                      {ROLES.map((role) => (
                        <Switch
                          key={role}
                          label={t(`portal.role.${role}`)}
                          aria-label={t('admin.users.roleSwitch', {
                            role: t(`portal.role.${role}`),
                            name: user.displayName,
                          })}
                          checked={user.roles.includes(role)}
                          disabled={!canManageRoles}
                          onChange={(_event, value) => void toggleRole(user, role, value.checked)}
                          data-testid={`role-${role}`}
                        />
                      ))}
                    </span>
                  </TableCell>
                  <TableCell className={styles.nowrap}>{format.dateTime(user.lastSeenAt)}</TableCell>
                  <TableCell>
                    <UserDataActions user={user} onDone={reloadAll} onError={onError} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {data === null && !loadError ? <LoadingSpinner size="small" /> : null}
        </div>
        <nav className={styles.pager} aria-label={t('admin.users.pagination')}>
          <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t('admin.users.previous')}
          </Button>
          <Text data-testid="users-page">
            {t('admin.users.page', { page, pages })} · {t('admin.users.total', { count: data?.total ?? 0 })}
          </Text>
          <Button disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {t('admin.users.next')}
          </Button>
        </nav>
      </Section>
      <GroupAssignDialog
        open={groupOpen}
        moduleName={moduleName(module)}
        onClose={() => setGroupOpen(false)}
        onError={onError}
        onConfirm={(groupId) => {
          setGroupOpen(false);
          void change('assign', { groupId });
        }}
      />
    </>
  );
}
