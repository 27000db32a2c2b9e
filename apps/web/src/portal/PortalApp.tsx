import { Tab, TabList, Title2 } from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../ui/api-client.js';
import { Page } from '../ui/layout.js';
import { SessionShell, useWebSession } from '../ui/session.js';
import { YourDataView } from '../ui/YourDataView.js';
import { AdministratorsPage } from './admin/AdministratorsPage.js';
import { AuditTab } from './audit/AuditTab.js';
import { CategoriesView } from './categories/CategoriesView.js';
import { PasswordsView } from './credentials/PasswordsView.js';
import { TransfersView, UsersView } from './PortalViews.js';
import { SettingsTab } from './settings/SettingsTab.js';
import { TenantRequestsView } from './TenantRequestsView.js';
import { TargetsView } from './targets/TargetsView.js';
import { TeamsView } from './teams/TeamsView.js';
import { UsersTab } from './users/UsersTab.js';

type PortalTab =
  | 'users'
  | 'transfers'
  | 'targets'
  | 'categories'
  | 'teams'
  | 'passwords'
  | 'settings'
  | 'audit'
  | 'data';
const TABS: readonly PortalTab[] = [
  'users',
  'transfers',
  'targets',
  'categories',
  'teams',
  'passwords',
  'settings',
  'audit',
  'data',
];

/** The customer's administration portal: sign-in, automatic sign-out, users and transfers. */
export function PortalApp() {
  const { t } = useTranslation();
  const session = useWebSession('portal');
  const [tab, setTab] = useState<PortalTab>('users');
  const [adminsOnly, setAdminsOnly] = useState(false);

  const sessionError = session.onError;
  const onError = useCallback(
    (error: unknown) => {
      if (isApiError(error, 'administrators_only')) setAdminsOnly(true);
      else sessionError(error);
    },
    [sessionError],
  );

  return (
    <SessionShell
      session={session}
      userDetail={(signedIn) => signedIn.tenant?.name ?? ''}
      texts={{
        title: t('portal.title'),
        signInTitle: t('portal.signInTitle'),
        signedOutTitle: t('portal.signedOutTitle'),
        signInBody: t('portal.signInBody'),
        signIn: t('portal.signIn'),
        signedOut: {
          idle: t('portal.signedOutIdle'),
          expired: t('portal.signedOutExpired'),
          'by-you': t('portal.signedOutByYou'),
        },
        signInError: (code) =>
          code === 'no_subscription'
            ? t('portal.signInErrorNoSubscription')
            : code === 'cancelled'
              ? t('portal.signInErrorCancelled')
              : t('portal.signInError', { code }),
        idleWarning: {
          title: t('portal.idleTitle'),
          body: (count) => t('portal.idleBody', { count }),
          staySignedIn: t('portal.staySignedIn'),
          signOutNow: t('portal.signOutNow'),
        },
      }}
    >
      {(signedIn) => {
        const roles = signedIn.user.roles;
        // Not an administrator: the page names the administrators instead of showing an error.
        if (adminsOnly || roles.length === 0) return <AdministratorsPage onError={session.onError} />;
        return (
          <Page>
            <Title2 as="h1">{t('admin.heading', { tenant: signedIn.tenant?.name ?? '' })}</Title2>
            <TabList
              selectedValue={tab}
              onTabSelect={(_event, data) => setTab(TABS.find((value) => value === data.value) ?? 'users')}
            >
              <Tab value="users">{t('portal.tabUsers')}</Tab>
              <Tab value="transfers">{t('portal.tabTransfers')}</Tab>
              <Tab value="targets">{t('targets.tab')}</Tab>
              {roles.includes('tenant_administrator') ? (
                <Tab value="categories">{t('categories.tab')}</Tab>
              ) : null}
              <Tab value="teams" data-testid="tab-teams">
                {t('teams.tab')}
              </Tab>
              {roles.includes('tenant_administrator') ? (
                <Tab value="passwords">{t('passwords.tab')}</Tab>
              ) : null}
              <Tab value="settings" data-testid="tab-settings">
                {t('admin.tabSettings')}
              </Tab>
              <Tab value="audit" data-testid="tab-audit">
                {t('admin.tabAudit')}
              </Tab>
              <Tab value="data">{t('rights.yourData')}</Tab>
            </TabList>
            {tab === 'data' ? (
              <>
                <YourDataView base="/portal/api/me" onError={onError} />
                {roles.includes('user_administrator') ? <TenantRequestsView onError={onError} /> : null}
              </>
            ) : tab === 'users' ? (
              roles.includes('user_administrator') ? (
                <UsersTab canManageRoles={roles.includes('tenant_administrator')} onError={onError} />
              ) : (
                <UsersView tenantName={signedIn.tenant?.name ?? ''} onError={onError} />
              )
            ) : tab === 'transfers' ? (
              <TransfersView days={7} onError={onError} />
            ) : tab === 'targets' ? (
              <TargetsView roles={roles} onError={onError} />
            ) : tab === 'categories' ? (
              <CategoriesView onError={onError} />
            ) : tab === 'teams' ? (
              <TeamsView roles={roles} onError={onError} />
            ) : tab === 'passwords' ? (
              <PasswordsView onError={onError} />
            ) : tab === 'settings' ? (
              <SettingsTab canEdit={roles.includes('tenant_administrator')} onError={onError} />
            ) : (
              <AuditTab onError={onError} />
            )}
          </Page>
        );
      }}
    </SessionShell>
  );
}
