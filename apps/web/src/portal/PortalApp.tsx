import { Tab, TabList } from '@fluentui/react-components';
import { ShieldPersonRegular } from '@fluentui/react-icons';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../ui/api-client.js';
import { Page, StatusScreen } from '../ui/layout.js';
import { SessionShell, useWebSession } from '../ui/session.js';
import { CategoriesView } from './categories/CategoriesView.js';
import { PasswordsView } from './credentials/PasswordsView.js';
import { TransfersView, UsersView } from './PortalViews.js';
import { TargetsView } from './targets/TargetsView.js';

type PortalTab = 'users' | 'transfers' | 'targets' | 'categories' | 'passwords';
const TABS: readonly PortalTab[] = ['users', 'transfers', 'targets', 'categories', 'passwords'];

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
      {(signedIn) =>
        adminsOnly ? (
          <StatusScreen
            icon={<ShieldPersonRegular />}
            title={t('portal.adminsOnlyTitle')}
            testId="portal-admins-only"
          >
            {t('portal.adminsOnlyBody')}
          </StatusScreen>
        ) : (
          <Page>
            <TabList
              selectedValue={tab}
              onTabSelect={(_event, data) => setTab(TABS.find((value) => value === data.value) ?? 'users')}
            >
              <Tab value="users">{t('portal.tabUsers')}</Tab>
              <Tab value="transfers">{t('portal.tabTransfers')}</Tab>
              <Tab value="targets">{t('targets.tab')}</Tab>
              {signedIn.user.roles.includes('tenant_administrator') ? (
                <Tab value="categories">{t('categories.tab')}</Tab>
              ) : null}
              {signedIn.user.roles.includes('tenant_administrator') ? (
                <Tab value="passwords">{t('passwords.tab')}</Tab>
              ) : null}
            </TabList>
            {tab === 'users' ? (
              <UsersView tenantName={signedIn.tenant?.name ?? ''} onError={onError} />
            ) : tab === 'transfers' ? (
              <TransfersView days={7} onError={onError} />
            ) : tab === 'targets' ? (
              <TargetsView roles={signedIn.user.roles} onError={onError} />
            ) : tab === 'categories' ? (
              <CategoriesView onError={onError} />
            ) : (
              <PasswordsView onError={onError} />
            )}
          </Page>
        )
      }
    </SessionShell>
  );
}
