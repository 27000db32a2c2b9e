import {
  Badge,
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
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
  Textarea,
  Title2,
  Tooltip,
  tokens,
} from '@fluentui/react-components';
import { type FormEvent, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../ui/api-client.js';
import { formatDateTime, Section } from '../ui/layout.js';
import {
  fetchCampaigns,
  fetchNewsletter,
  type NewsletterSubscriber,
  removeSubscriber,
  sendCampaign,
} from './operator-api.js';
import { useLoad } from './use-load.js';

const useStyles = makeStyles({
  stats: { display: 'flex', gap: tokens.spacingHorizontalXXL, flexWrap: 'wrap' },
  stat: { display: 'flex', flexDirection: 'column' },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '720px' },
  formActions: { display: 'flex', gap: tokens.spacingHorizontalS },
  tableWrap: { overflowX: 'auto' },
});

function errorText(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

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
          setMessage({ intent: 'error', text: t('operator.actionFailed', { message: errorText(cause) }) });
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
      <Dialog open={asking} onOpenChange={(_event, data) => setAsking(data.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t('operator.campaignTitle')}</DialogTitle>
            <DialogContent>{t('operator.sendConfirm', { subject, count: confirmed })}</DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={send}>
                {t('operator.send')}
              </Button>
              <Button onClick={() => setAsking(false)}>{t('operator.cancel')}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </Section>
  );
}

function CampaignList({ generation, onError }: { generation: number; onError: (error: unknown) => void }) {
  const { t, i18n } = useTranslation();
  const load = useCallback(() => {
    void generation;
    return fetchCampaigns();
  }, [generation]);
  const { data, error } = useLoad(load, onError);
  return (
    <Section title={t('operator.campaignsTitle')} labelId="campaigns-title">
      {error ? (
        <MessageBar intent="error">
          <MessageBarBody>{t('operator.loadFailed', { message: error })}</MessageBarBody>
        </MessageBar>
      ) : data === null ? (
        <Spinner size="small" />
      ) : data.length === 0 ? (
        <Text>{t('operator.campaignsEmpty')}</Text>
      ) : (
        <Table aria-labelledby="campaigns-title" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('operator.subject')}</TableHeaderCell>
              <TableHeaderCell>{t('operator.created')}</TableHeaderCell>
              <TableHeaderCell>{t('operator.status')}</TableHeaderCell>
              <TableHeaderCell>{t('operator.progress')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {data.map((campaign) => (
              <TableRow key={campaign.id}>
                <TableCell>{campaign.subject}</TableCell>
                <TableCell>{formatDateTime(campaign.createdAt, i18n.language)}</TableCell>
                <TableCell>
                  <Badge appearance="tint" color={campaign.state === 'sent' ? 'success' : 'brand'}>
                    {t(`operator.state.${campaign.state}`)}
                  </Badge>
                </TableCell>
                <TableCell>{`${campaign.sentCount} / ${campaign.recipients}`}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Section>
  );
}

export function NewsletterView({ onError }: { onError: (error: unknown) => void }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const { data, error, reload } = useLoad(fetchNewsletter, onError);
  const [campaignGeneration, setCampaignGeneration] = useState(0);
  const [removing, setRemoving] = useState<NewsletterSubscriber | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const language = i18n.language === 'de' ? 'de' : 'en';

  const remove = () => {
    const subscriber = removing;
    setRemoving(null);
    if (!subscriber) return;
    removeSubscriber(subscriber.id).then(reload, (cause: unknown) => {
      setActionError(errorText(cause));
      onError(cause);
    });
  };

  if (error) {
    return (
      <MessageBar intent="error">
        <MessageBarBody>{t('operator.loadFailed', { message: error })}</MessageBarBody>
      </MessageBar>
    );
  }
  if (data === null) return <Spinner size="small" />;

  return (
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
        {actionError ? (
          <MessageBar intent="error">
            <MessageBarBody>{t('operator.actionFailed', { message: actionError })}</MessageBarBody>
          </MessageBar>
        ) : null}
        {data.subscribers.length === 0 ? (
          <Text>{t('operator.subscribersEmpty')}</Text>
        ) : (
          <div className={styles.tableWrap}>
            <Table aria-labelledby="subscribers-title" size="small" data-testid="subscribers-table">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{t('operator.email')}</TableHeaderCell>
                  <TableHeaderCell>{t('operator.status')}</TableHeaderCell>
                  <TableHeaderCell>{t('operator.signedUp')}</TableHeaderCell>
                  <TableHeaderCell>{t('operator.confirmedWhen')}</TableHeaderCell>
                  <TableHeaderCell>{t('operator.wording')}</TableHeaderCell>
                  <TableHeaderCell>{t('operator.network')}</TableHeaderCell>
                  <TableHeaderCell />
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.subscribers.map((subscriber) => (
                  <TableRow key={subscriber.id}>
                    <TableCell>{subscriber.email}</TableCell>
                    <TableCell>
                      <Badge
                        appearance="tint"
                        color={subscriber.status === 'confirmed' ? 'success' : 'warning'}
                      >
                        {subscriber.status === 'confirmed' ? t('operator.confirmed') : t('operator.pending')}
                      </Badge>
                    </TableCell>
                    <TableCell>{formatDateTime(subscriber.consent.signedUpAt, language)}</TableCell>
                    <TableCell>{formatDateTime(subscriber.consent.confirmedAt, language)}</TableCell>
                    <TableCell>
                      <Tooltip
                        relationship="description"
                        content={
                          data.wordings[subscriber.consent.version]?.[subscriber.consent.language] ?? ''
                        }
                      >
                        <Text
                          underline
                        >{`${subscriber.consent.version} (${subscriber.consent.language.toUpperCase()})`}</Text>
                      </Tooltip>
                    </TableCell>
                    <TableCell>
                      {subscriber.consent.confirmationNetwork
                        ? `${subscriber.consent.signUpNetwork} / ${subscriber.consent.confirmationNetwork}`
                        : subscriber.consent.signUpNetwork}
                    </TableCell>
                    <TableCell>
                      <Button size="small" onClick={() => setRemoving(subscriber)}>
                        {t('operator.remove')}
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </Section>
      <Dialog
        open={removing !== null}
        onOpenChange={(_event, state) => (state.open ? null : setRemoving(null))}
      >
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{t('operator.remove')}</DialogTitle>
            <DialogContent>{t('operator.removeConfirm', { email: removing?.email ?? '' })}</DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={remove}>
                {t('operator.remove')}
              </Button>
              <Button onClick={() => setRemoving(null)}>{t('operator.cancel')}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  );
}
