import { Tab, TabList } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../ui/layout.js';
import { SessionShell, useWebSession } from '../ui/session.js';
import { BillingView } from './BillingView.js';
import { EnquiriesView } from './EnquiriesView.js';
import { NewsletterView } from './NewsletterView.js';
import { ConsentView, RecordView, SecurityView } from './PrivacyViews.js';
import { RightsRequestsView } from './RightsRequestsView.js';

const TABS = ['enquiries', 'rights', 'billing', 'newsletter', 'consent', 'security', 'record'] as const;
type OperatorTab = (typeof TABS)[number];

function isTab(value: unknown): value is OperatorTab {
  return typeof value === 'string' && (TABS as readonly string[]).includes(value);
}

/** The operator console: sign-in with Microsoft (operator tenant), then one tab per topic. */
export function OperatorApp() {
  const { t } = useTranslation();
  const session = useWebSession('operator');
  // A 401 from any view means the session ended (idle or expired): back to the sign-in screen.
  const { onError } = session;
  const [tab, setTab] = useState<OperatorTab>(() => {
    const fromHash = window.location.hash.slice(1);
    return isTab(fromHash) ? fromHash : 'enquiries';
  });

  const selectTab = (next: OperatorTab) => {
    setTab(next);
    window.history.replaceState(null, '', `#${next}`);
  };

  return (
    <SessionShell
      session={session}
      texts={{
        title: t('operator.title'),
        signInTitle: t('operator.signInTitle'),
        signInBody: t('operator.signInBody'),
        signIn: t('operator.signIn'),
        signedOut: {
          idle: t('operator.signedOutIdle'),
          expired: t('operator.sessionEnded'),
          'by-you': t('operator.signedOut'),
        },
        signInError: (code) =>
          code === 'not_an_operator' ? t('operator.notAllowed') : t('operator.signInError', { code }),
        // Operators see personal data of many people: they get the same inactivity sign-out as the portal.
        idleWarning: {
          title: t('operator.idleTitle'),
          body: (count) => t('operator.idleBody', { count }),
          staySignedIn: t('operator.staySignedIn'),
          signOutNow: t('operator.signOutNow'),
        },
      }}
    >
      {() => (
        <Page>
          <TabList
            selectedValue={tab}
            onTabSelect={(_event, data) => isTab(data.value) && selectTab(data.value)}
          >
            <Tab value="enquiries">{t('operator.tabEnquiries')}</Tab>
            <Tab value="rights">{t('rights.queueTitle')}</Tab>
            <Tab value="billing">{t('operator.tabBilling')}</Tab>
            <Tab value="newsletter">{t('operator.tabNewsletter')}</Tab>
            <Tab value="consent">{t('operator.tabConsent')}</Tab>
            <Tab value="security">{t('operator.tabSecurity')}</Tab>
            <Tab value="record">{t('operator.tabRecord')}</Tab>
          </TabList>
          {tab === 'enquiries' ? <EnquiriesView onError={onError} /> : null}
          {tab === 'rights' ? <RightsRequestsView onError={onError} /> : null}
          {tab === 'billing' ? <BillingView onError={onError} /> : null}
          {tab === 'newsletter' ? <NewsletterView onError={onError} /> : null}
          {tab === 'consent' ? <ConsentView onError={onError} /> : null}
          {tab === 'security' ? <SecurityView onError={onError} /> : null}
          {tab === 'record' ? <RecordView onError={onError} /> : null}
        </Page>
      )}
    </SessionShell>
  );
}
