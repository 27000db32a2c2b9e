import {
  Badge,
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Text,
  Textarea,
  Title2,
  Tooltip,
  tokens,
} from '@fluentui/react-components';
import { type FormEvent, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, isApiError } from '../ui/api-client.js';
import { DataTable, ErrorBar, LoadState, useLoad } from '../ui/data-view.js';
import { ConfirmDialog } from '../ui/dialog.js';
import { Section, useFormat } from '../ui/layout.js';
import {
  fetchCampaigns,
  fetchNewsletter,
  type NewsletterSubscriber,
  removeSubscriber,
  sendCampaign,
} from './operator-api.js';

const useStyles = makeStyles({
  stats: { display: 'flex', gap: tokens.spacingHorizontalXXL, flexWrap: 'wrap' },
  stat: { display: 'flex', flexDirection: 'column' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '720px' },
  formActions: { display: 'flex', gap: tokens.spacingHorizontalS },
});

function CampaignForm({
  confirmed,
  onSent,
  onError,
}: {
  confirmed: number;
  onSent: () => void;
  onError: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [subject, setSubject] = useState('');
  const [bodyText, setBodyText] = useState('');
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (subject.trim() && bodyText.trim()) setAsking(true);
  };
  const send = () => {
    setAsking(false);
    setBusy(true);
    setMessage(null);
    sendCampaign(subject, bodyText)
      .then(
        (campaign) => {
          setMessage({
            intent: 'success',
            text: t('operator.campaignQueued', { count: campaign.recipients }),
          });
          setSubject('');
          setBodyText('');
          onSent();
        },
        (cause: unknown) => {
          setMessage({ intent: 'error', text: t('operator.actionFailed', { message: errorMessage(cause) }) });
          if (!isApiError(cause) || cause.status === 401) onError(cause);
        },
      )
      .finally(() => setBusy(false));
  };

  return (
    <Section title={t('operator.campaignTitle')} labelId="campaign-title">
      <Caption1>{t('operator.campaignNote', { count: confirmed })}</Caption1>
      <form className={styles.form} onSubmit={submit} aria-labelledby="campaign-title">
        <Field label={t('operator.subject')} required>
          <Input value={subject} maxLength={200} onChange={(_event, data) => setSubject(data.value)} />
        </Field>
        <Field label={t('operator.body')} required>
          <Textarea
            value={bodyText}
            rows={10}
            resize="vertical"
            onChange={(_event, data) => setBodyText(data.value)}
          />
        </Field>
        {message ? (
          <MessageBar intent={message.intent}>
            <MessageBarBody>{message.text}</MessageBarBody>
          </MessageBar>
        ) : null}
        <div className={styles.formActions}>
          <Button
            type="submit"
            appearance="primary"
            disabled={busy || !subject.trim() || !bodyText.trim() || confirmed === 0}
          >
            {t('operator.send')}
          </Button>
        </div>
      </form>
      <ConfirmDialog
        open={asking}
        title={t('operator.campaignTitle')}
        confirm={t('operator.send')}
        dismiss={t('operator.cancel')}
        onConfirm={send}
        onDismiss={() => setAsking(false)}
      >
        {t('operator.sendConfirm', { subject, count: confirmed })}
      </ConfirmDialog>
    </Section>
  );
}

function CampaignList({ generation, onError }: { generation: number; onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  // A new generation (after sending) reloads the list.
  const load = useCallback(() => {
    void generation;
    return fetchCampaigns();
  }, [generation]);
  const loaded = useLoad(load, onError);
  return (
    <Section title={t('operator.campaignsTitle')} labelId="campaigns-title">
      <LoadState loaded={loaded} loadFailed={(message) => t('operator.loadFailed', { message })}>
        {(campaigns) => (
          <DataTable
            rows={campaigns}
            rowKey={(campaign) => campaign.id}
            labelId="campaigns-title"
            size="small"
            empty={t('operator.campaignsEmpty')}
            columns={[
              { id: 'subject', header: t('operator.subject'), cell: (campaign) => campaign.subject },
              {
                id: 'created',
                header: t('operator.created'),
                cell: (campaign) => format.dateTime(campaign.createdAt),
              },
              {
                id: 'status',
                header: t('operator.status'),
                cell: (campaign) => (
                  <Badge appearance="tint" color={campaign.state === 'sent' ? 'success' : 'brand'}>
                    {t(`operator.state.${campaign.state}`)}
                  </Badge>
                ),
              },
              {
                id: 'progress',
                header: t('operator.progress'),
                cell: (campaign) => `${campaign.sentCount} / ${campaign.recipients}`,
              },
            ]}
          />
        )}
      </LoadState>
    </Section>
  );
}

export function NewsletterView({ onError }: { onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const styles = useStyles();
  const loaded = useLoad(fetchNewsletter, onError);
  const { reload } = loaded;
  const [campaignGeneration, setCampaignGeneration] = useState(0);
  const [removing, setRemoving] = useState<NewsletterSubscriber | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const remove = () => {
    const subscriber = removing;
    setRemoving(null);
    if (!subscriber) return;
    removeSubscriber(subscriber.id).then(reload, (cause: unknown) => {
      setActionError(errorMessage(cause));
      onError(cause);
    });
  };

  return (
    <LoadState loaded={loaded} loadFailed={(message) => t('operator.loadFailed', { message })}>
      {(data) => (
        <>
          <div className={styles.stats} data-testid="newsletter-stats">
            <span className={styles.stat}>
              <Title2>{data.statistics.confirmed}</Title2>
              <Caption1>{t('operator.statConfirmed')}</Caption1>
            </span>
            <span className={styles.stat}>
              <Title2>{data.statistics.pending}</Title2>
              <Caption1>{t('operator.statPending')}</Caption1>
            </span>
            <span className={styles.stat}>
              <Title2>{data.statistics.campaigns}</Title2>
              <Caption1>{t('operator.statCampaigns')}</Caption1>
            </span>
          </div>
          <CampaignForm
            confirmed={data.statistics.confirmed}
            onError={onError}
            onSent={() => {
              reload();
              setCampaignGeneration((value) => value + 1);
            }}
          />
          <CampaignList generation={campaignGeneration} onError={onError} />
          <Section title={t('operator.subscribersTitle')} labelId="subscribers-title">
            {actionError ? <ErrorBar>{t('operator.actionFailed', { message: actionError })}</ErrorBar> : null}
            <DataTable
              rows={data.subscribers}
              rowKey={(subscriber) => subscriber.id}
              labelId="subscribers-title"
              size="small"
              scroll
              testId="subscribers-table"
              empty={t('operator.subscribersEmpty')}
              columns={[
                { id: 'email', header: t('operator.email'), cell: (subscriber) => subscriber.email },
                {
                  id: 'status',
                  header: t('operator.status'),
                  cell: (subscriber) => (
                    <Badge
                      appearance="tint"
                      color={subscriber.status === 'confirmed' ? 'success' : 'warning'}
                    >
                      {subscriber.status === 'confirmed' ? t('operator.confirmed') : t('operator.pending')}
                    </Badge>
                  ),
                },
                {
                  id: 'signed-up',
                  header: t('operator.signedUp'),
                  cell: (subscriber) => format.dateTime(subscriber.consent.signedUpAt),
                },
                {
                  id: 'confirmed',
                  header: t('operator.confirmedWhen'),
                  cell: (subscriber) => format.dateTime(subscriber.consent.confirmedAt),
                },
                {
                  id: 'wording',
                  header: t('operator.wording'),
                  // The exact wording the subscriber agreed to, as proof of consent.
                  cell: (subscriber) => (
                    <Tooltip
                      relationship="description"
                      content={data.wordings[subscriber.consent.version]?.[subscriber.consent.language] ?? ''}
                    >
                      <Text
                        underline
                      >{`${subscriber.consent.version} (${subscriber.consent.language.toUpperCase()})`}</Text>
                    </Tooltip>
                  ),
                },
                {
                  id: 'network',
                  header: t('operator.network'),
                  cell: (subscriber) =>
                    subscriber.consent.confirmationNetwork
                      ? `${subscriber.consent.signUpNetwork} / ${subscriber.consent.confirmationNetwork}`
                      : subscriber.consent.signUpNetwork,
                },
                {
                  id: 'actions',
                  cell: (subscriber) => (
                    <Button size="small" onClick={() => setRemoving(subscriber)}>
                      {t('operator.remove')}
                    </Button>
                  ),
                },
              ]}
            />
          </Section>
          <ConfirmDialog
            open={removing !== null}
            title={t('operator.remove')}
            confirm={t('operator.remove')}
            dismiss={t('operator.cancel')}
            onConfirm={remove}
            onDismiss={() => setRemoving(null)}
          >
            {t('operator.removeConfirm', { email: removing?.email ?? '' })}
          </ConfirmDialog>
        </>
      )}
    </LoadState>
  );
}
