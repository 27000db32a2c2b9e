import {
  Badge,
  Button,
  Caption1,
  Link,
  makeStyles,
  Tab,
  TabList,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../ui/api-client.js';
import { ErrorBar, LoadState, useLoad } from '../ui/data-view.js';
import { Section, useFormat } from '../ui/layout.js';
import { type ContactEnquiry, closeEnquiry, deleteEnquiry, fetchEnquiries } from './operator-api.js';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, margin: 0, padding: 0 },
  item: {
    listStyleType: 'none',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    paddingBottom: tokens.spacingVerticalL,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  meta: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  // The visitor's text is shown as text (React escapes it), with its line breaks.
  message: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});

function EnquiryItem({
  enquiry,
  onClose,
  onDelete,
  busy,
}: {
  enquiry: ContactEnquiry;
  onClose: (id: string) => void;
  onDelete: (id: string) => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const styles = useStyles();
  return (
    <li className={styles.item} data-testid="enquiry">
      <div className={styles.meta}>
        <Text weight="semibold">{enquiry.name}</Text>
        <Text>{enquiry.email}</Text>
        {enquiry.company ? <Text>{`${t('operator.company')}: ${enquiry.company}`}</Text> : null}
        <Badge appearance="outline">{enquiry.language.toUpperCase()}</Badge>
      </div>
      <Caption1>
        {`${t('operator.received')}: ${format.dateTime(enquiry.receivedAt)} · `}
        {enquiry.operatorNotifiedAt ? t('operator.mailedToInbox') : t('operator.notYetMailed')}
      </Caption1>
      <Text className={styles.message} data-testid="enquiry-message">
        {enquiry.message}
      </Text>
      {enquiry.status === 'closed' ? (
        <Caption1>
          {t('operator.closedAt', {
            when: format.dateTime(enquiry.closedAt),
            deleteAfter: format.dateTime(enquiry.deleteAfter),
          })}
        </Caption1>
      ) : null}
      <div className={styles.actions}>
        {enquiry.status === 'open' ? (
          <>
            <Link href={`mailto:${encodeURIComponent(enquiry.email)}`}>{t('operator.reply')}</Link>
            <Button
              size="small"
              disabled={busy}
              onClick={() => onClose(enquiry.id)}
              data-testid="close-enquiry"
            >
              {t('operator.close')}
            </Button>
          </>
        ) : null}
        <Button size="small" appearance="subtle" disabled={busy} onClick={() => onDelete(enquiry.id)}>
          {t('operator.deleteNow')}
        </Button>
      </div>
    </li>
  );
}

export function EnquiriesView({ onError }: { onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const load = useCallback(() => fetchEnquiries(status), [status]);
  const loaded = useLoad(load, onError);
  const { data, reload } = loaded;
  const [busyId, setBusyId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const run = (id: string, action: (id: string) => Promise<unknown>) => {
    setBusyId(id);
    setActionError(null);
    action(id)
      .then(reload, (cause: unknown) => {
        setActionError(errorMessage(cause));
        onError(cause);
      })
      .finally(() => setBusyId(null));
  };

  return (
    <Section
      title={status === 'open' ? t('operator.enquiriesOpen') : t('operator.enquiriesClosed')}
      labelId="enquiries-title"
      actions={
        <TabList
          size="small"
          selectedValue={status}
          onTabSelect={(_event, selection) => setStatus(selection.value === 'closed' ? 'closed' : 'open')}
        >
          <Tab value="open">{t('operator.showOpen')}</Tab>
          <Tab value="closed">{t('operator.showClosed')}</Tab>
        </TabList>
      }
    >
      {data ? <Caption1>{t('operator.enquiriesNote', { days: data.retentionDays })}</Caption1> : null}
      {actionError ? <ErrorBar>{t('operator.actionFailed', { message: actionError })}</ErrorBar> : null}
      <LoadState loaded={loaded} loadFailed={(message) => t('operator.loadFailed', { message })}>
        {({ enquiries }) =>
          enquiries.length === 0 ? (
            <Text>{t('operator.enquiriesEmpty')}</Text>
          ) : (
            <ul className={styles.list} aria-labelledby="enquiries-title">
              {enquiries.map((enquiry) => (
                <EnquiryItem
                  key={enquiry.id}
                  enquiry={enquiry}
                  onClose={(id) => run(id, closeEnquiry)}
                  onDelete={(id) => {
                    if (window.confirm(t('operator.deleteConfirm', { name: enquiry.name })))
                      run(id, deleteEnquiry);
                  }}
                  busy={busyId === enquiry.id}
                />
              ))}
            </ul>
          )
        }
      </LoadState>
    </Section>
  );
}
