import {
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Tab,
  TabList,
  Text,
  tokens,
} from '@fluentui/react-components';
import {
  ErrorCircleRegular,
  LockClosedRegular,
  ShieldPersonRegular,
  SignOutRegular,
} from '@fluentui/react-icons';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../ui/api-client.js';
import { AppHeader, LanguageSwitcher, Page, StatusScreen } from '../ui/layout.js';
import { TransfersView, UsersView } from './PortalViews.js';
import { fetchSession, keepSessionAlive, loginUrl, logout, type PortalSession } from './portal-api.js';
import { useIdleSignOut } from './use-idle-sign-out.js';

const useStyles = makeStyles({
  shell: { display: 'flex', flexDirection: 'column', minHeight: '100vh' },
  user: { display: 'flex', flexDirection: 'column', alignItems: 'flex-end', lineHeight: 1.2 },
  onBrand: { color: tokens.colorNeutralForegroundOnBrand },
});

type SignedOutReason = 'idle' | 'expired' | 'by-you' | null;

type PortalState =
  | { kind: 'loading' }
  | { kind: 'signed-out'; reason: SignedOutReason }
  | { kind: 'signed-in'; session: PortalSession }
  | { kind: 'error'; message: string };

function IdleWarning({
  session,
  onSignedOut,
}: {
  session: PortalSession;
  onSignedOut: (reason: SignedOutReason) => void;
}) {
  const { t } = useTranslation();
  const onTimeout = useCallback(() => {
    void logout().finally(() => onSignedOut('idle'));
  }, [onSignedOut]);
  const { warningSecondsLeft, staySignedIn } = useIdleSignOut({
    idleTimeoutSeconds: session.idleTimeoutSeconds,
    keepAlive: keepSessionAlive,
    onTimeout,
    idleExpiresAt: session.idleExpiresAt,
  });

  // The session also ends at its absolute expiry, activity or not.
  useEffect(() => {
    const left = Date.parse(session.expiresAt) - Date.now();
    if (!Number.isFinite(left)) return;
    const timer = window.setTimeout(() => onSignedOut('expired'), Math.max(0, Math.min(left, 2_147_000_000)));
    return () => window.clearTimeout(timer);
  }, [session.expiresAt, onSignedOut]);

  return (
    <Dialog open={warningSecondsLeft !== null} modalType="alert">
      <DialogSurface data-testid="idle-warning">
        <DialogBody>
          <DialogTitle>{t('portal.idleTitle')}</DialogTitle>
          <DialogContent>{t('portal.idleBody', { count: warningSecondsLeft ?? 0 })}</DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={staySignedIn}>
              {t('portal.staySignedIn')}
            </Button>
            <Button onClick={onTimeout}>{t('portal.signOutNow')}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/** The customer's administration portal: sign-in, automatic sign-out, users and transfers. */
export function PortalApp() {
  const { t } = useTranslation();
  const styles = useStyles();
  const [state, setState] = useState<PortalState>({ kind: 'loading' });
  const [tab, setTab] = useState<'users' | 'transfers'>('users');
  const [adminsOnly, setAdminsOnly] = useState(false);
  // The sign-in callback comes back with ?signin_error=<code> when Microsoft or we refused it.
  const [signInError] = useState(() => {
    const code = new URLSearchParams(window.location.search).get('signin_error');
    if (code) window.history.replaceState(null, '', window.location.pathname);
    return code;
  });

  useEffect(() => {
    fetchSession().then(
      (session) => setState(session ? { kind: 'signed-in', session } : { kind: 'signed-out', reason: null }),
      (error: unknown) =>
        setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
  }, []);

  const signedOut = useCallback((reason: SignedOutReason) => setState({ kind: 'signed-out', reason }), []);

  const onError = useCallback(
    (error: unknown) => {
      if (isApiError(error, 'administrators_only')) setAdminsOnly(true);
      else if (isApiError(error) && error.status === 401) signedOut('expired');
    },
    [signedOut],
  );

  let content: ReactNode;
  switch (state.kind) {
    case 'loading':
      content = <StatusScreen busy title={t('common.loading')} />;
      break;
    case 'error':
      content = (
        <StatusScreen
          icon={<ErrorCircleRegular />}
          title={t('common.unexpectedError')}
          actions={<Button onClick={() => window.location.reload()}>{t('common.retry')}</Button>}
        >
          {state.message}
        </StatusScreen>
      );
      break;
    case 'signed-out':
      content = (
        <StatusScreen
          icon={<LockClosedRegular />}
          title={state.reason ? t('portal.signedOutTitle') : t('portal.signInTitle')}
          testId="portal-signed-out"
          actions={
            <Button appearance="primary" as="a" href={loginUrl()} data-testid="portal-sign-in">
              {t('portal.signIn')}
            </Button>
          }
        >
          {signInError && !state.reason ? (
            <MessageBar intent="error" data-testid="portal-sign-in-error">
              <MessageBarBody>
                {signInError === 'no_subscription'
                  ? t('portal.signInErrorNoSubscription')
                  : signInError === 'cancelled'
                    ? t('portal.signInErrorCancelled')
                    : t('portal.signInError', { code: signInError })}
              </MessageBarBody>
            </MessageBar>
          ) : null}
          {state.reason === 'idle'
            ? t('portal.signedOutIdle')
            : state.reason === 'expired'
              ? t('portal.signedOutExpired')
              : state.reason === 'by-you'
                ? t('portal.signedOutByYou')
                : t('portal.signInBody')}
        </StatusScreen>
      );
      break;
    case 'signed-in':
      content = adminsOnly ? (
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
            onTabSelect={(_event, data) => setTab(data.value === 'transfers' ? 'transfers' : 'users')}
          >
            <Tab value="users">{t('portal.tabUsers')}</Tab>
            <Tab value="transfers">{t('portal.tabTransfers')}</Tab>
          </TabList>
          {tab === 'users' ? (
            <UsersView tenantName={state.session.tenant?.name ?? ''} onError={onError} />
          ) : (
            <TransfersView days={7} onError={onError} />
          )}
        </Page>
      );
      break;
  }

  return (
    <div className={styles.shell}>
      <AppHeader title={t('portal.title')}>
        <LanguageSwitcher />
        {state.kind === 'signed-in' ? (
          <>
            <span className={styles.user}>
              <Text weight="semibold" className={styles.onBrand} data-testid="portal-user">
                {state.session.user.displayName}
              </Text>
              <Caption1 className={styles.onBrand}>{state.session.tenant?.name ?? ''}</Caption1>
            </span>
            <Button
              appearance="transparent"
              icon={<SignOutRegular className={styles.onBrand} />}
              onClick={() => void logout().finally(() => signedOut('by-you'))}
              data-testid="portal-sign-out"
            >
              <span className={styles.onBrand}>{t('common.signOut')}</span>
            </Button>
          </>
        ) : null}
      </AppHeader>
      {content}
      {state.kind === 'signed-in' ? <IdleWarning session={state.session} onSignedOut={signedOut} /> : null}
    </div>
  );
}
