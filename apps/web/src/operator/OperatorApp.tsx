import {
  Button,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Tab,
  TabList,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ErrorCircleRegular, LockClosedRegular, SignOutRegular } from '@fluentui/react-icons';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../ui/api-client.js';
import { AppHeader, LanguageSwitcher, Page, StatusScreen } from '../ui/layout.js';
import { EnquiriesView } from './EnquiriesView.js';
import { NewsletterView } from './NewsletterView.js';
import { fetchSession, loginUrl, logout, type OperatorSession } from './operator-api.js';
import { ConsentView, RecordView, SecurityView } from './PrivacyViews.js';

const useStyles = makeStyles({
  shell: { display: 'flex', flexDirection: 'column', minHeight: '100vh' },
  onBrand: { color: tokens.colorNeutralForegroundOnBrand },
});

const TABS = ['enquiries', 'newsletter', 'consent', 'security', 'record'] as const;
type OperatorTab = (typeof TABS)[number];

function isTab(value: unknown): value is OperatorTab {
  return typeof value === 'string' && (TABS as readonly string[]).includes(value);
}

type ConsoleState =
  | { kind: 'loading' }
  | { kind: 'signed-out'; reason: 'ended' | 'by-you' | null }
  | { kind: 'signed-in'; session: OperatorSession }
  | { kind: 'error'; message: string };

/** The operator console: sign-in with Microsoft (operator tenant), then one tab per topic. */
export function OperatorApp() {
  const { t } = useTranslation();
  const styles = useStyles();
  const [state, setState] = useState<ConsoleState>({ kind: 'loading' });
  const [tab, setTab] = useState<OperatorTab>(() => {
    const fromHash = window.location.hash.slice(1);
    return isTab(fromHash) ? fromHash : 'enquiries';
  });
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

  // A 401 from any view means the session ended (idle or expired): back to the sign-in screen.
  const onError = useCallback((error: unknown) => {
    if (isApiError(error) && error.status === 401) setState({ kind: 'signed-out', reason: 'ended' });
  }, []);

  const selectTab = (next: OperatorTab) => {
    setTab(next);
    window.history.replaceState(null, '', `#${next}`);
  };

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
          title={t('operator.signInTitle')}
          testId="operator-signed-out"
          actions={
            <Button appearance="primary" as="a" href={loginUrl()} data-testid="operator-sign-in">
              {t('operator.signIn')}
            </Button>
          }
        >
          {signInError && !state.reason ? (
            <MessageBar intent="error">
              <MessageBarBody>
                {signInError === 'not_an_operator' || signInError === 'forbidden'
                  ? t('operator.notAllowed')
                  : t('operator.signInError', { code: signInError })}
              </MessageBarBody>
            </MessageBar>
          ) : null}
          {state.reason === 'ended'
            ? t('operator.sessionEnded')
            : state.reason === 'by-you'
              ? t('operator.signedOut')
              : t('operator.signInBody')}
        </StatusScreen>
      );
      break;
    case 'signed-in':
      content = (
        <Page>
          <TabList
            selectedValue={tab}
            onTabSelect={(_event, data) => isTab(data.value) && selectTab(data.value)}
          >
            <Tab value="enquiries">{t('operator.tabEnquiries')}</Tab>
            <Tab value="newsletter">{t('operator.tabNewsletter')}</Tab>
            <Tab value="consent">{t('operator.tabConsent')}</Tab>
            <Tab value="security">{t('operator.tabSecurity')}</Tab>
            <Tab value="record">{t('operator.tabRecord')}</Tab>
          </TabList>
          {tab === 'enquiries' ? <EnquiriesView onError={onError} /> : null}
          {tab === 'newsletter' ? <NewsletterView onError={onError} /> : null}
          {tab === 'consent' ? <ConsentView onError={onError} /> : null}
          {tab === 'security' ? <SecurityView onError={onError} /> : null}
          {tab === 'record' ? <RecordView onError={onError} /> : null}
        </Page>
      );
      break;
  }

  return (
    <div className={styles.shell}>
      <AppHeader title={t('operator.title')}>
        <LanguageSwitcher />
        {state.kind === 'signed-in' ? (
          <>
            <Text weight="semibold" className={styles.onBrand} data-testid="operator-user">
              {state.session.user.displayName}
            </Text>
            <Button
              appearance="transparent"
              icon={<SignOutRegular className={styles.onBrand} />}
              onClick={() => void logout().finally(() => setState({ kind: 'signed-out', reason: 'by-you' }))}
              data-testid="operator-sign-out"
            >
              <span className={styles.onBrand}>{t('common.signOut')}</span>
            </Button>
          </>
        ) : null}
      </AppHeader>
      {content}
    </div>
  );
}
