import { Badge, Button, Caption1, makeStyles, Select, Text, tokens } from '@fluentui/react-components';
import type { RightsRequest } from '@mailissa/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiFetch, errorMessage } from '../ui/api-client.js';
import { ErrorBar, LoadState, useLoad } from '../ui/data-view.js';
import { Section, useFormat } from '../ui/layout.js';

const CSRF = { 'x-requested-with': 'mailissa' };
const TEMPLATES = ['received', 'identity_needed', 'completed', 'rejected_unfounded'] as const;

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, margin: 0, padding: 0 },
  item: {
    listStyleType: 'none',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    paddingBottom: tokens.spacingVerticalL,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  overdue: {
    borderLeft: `4px solid ${tokens.colorPaletteRedBorder2}`,
    paddingLeft: tokens.spacingHorizontalM,
  },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  details: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
});

function post(path: string, body: unknown) {
  return apiFetch(path, 'rightsRequestSchema', { method: 'POST', body, headers: CSRF });
}

function RequestItem({
  request,
  reload,
  onError,
}: {
  request: RightsRequest;
  reload: () => void;
  onError: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const styles = useStyles();
  const [template, setTemplate] = useState<(typeof TEMPLATES)[number]>('received');
  const [trail, setTrail] = useState<
    { occurredAt: string; actor: string; action: string; outcome: string }[] | null
  >(null);
  const [problem, setProblem] = useState<string | null>(null);
  const base = `/operator/api/rights-requests/${encodeURIComponent(request.id)}`;
  const run = (work: () => Promise<unknown>) => {
    setProblem(null);
    work().then(reload, (cause: unknown) => {
      setProblem(errorMessage(cause));
      onError(cause);
    });
  };
  const open = request.status === 'open';
  return (
    <li className={`${styles.item} ${request.overdue ? styles.overdue : ''}`} data-testid="rights-request">
      <div className={styles.row}>
        <Text weight="semibold">{t(`rights.kind_${request.kind}`)}</Text>
        <Badge appearance="outline">{t(`rights.channel_${request.channel}`)}</Badge>
        <Badge appearance="tint" color={open ? 'brand' : 'informative'}>
          {t(`rights.status_${request.status}`)}
        </Badge>
        {request.overdue ? (
          <Badge color="danger" data-testid="rights-overdue">
            {t('rights.overdue')}
          </Badge>
        ) : null}
        <Text>{request.subjectEmail ?? request.requestedBy ?? ''}</Text>
      </div>
      <Caption1 data-testid="rights-due">
        {`${t('rights.received', { when: format.dateTime(request.receivedAt) })} · ${t('rights.due', { when: format.dateTime(request.dueAt) })}`}
        {request.extensionReason ? ` · ${request.extensionReason}` : ''}
      </Caption1>
      {request.identityCheck ? (
        <Caption1>{t('rights.identity', { check: request.identityCheck })}</Caption1>
      ) : null}
      {request.details ? <Text className={styles.details}>{request.details}</Text> : null}
      {request.result ? (
        <Caption1 className={styles.details}>{JSON.stringify(request.result)}</Caption1>
      ) : null}
      {problem ? <ErrorBar>{t('rights.failed', { message: problem })}</ErrorBar> : null}
      <div className={styles.row}>
        {/* Only before the deadline: the person must hear of an extension within the first month. */}
        {open && !request.extendedAt && !request.overdue ? (
          <Button
            size="small"
            onClick={() => {
              const reason = window.prompt(t('rights.extendPrompt'));
              if (reason) run(() => post(`${base}/extend`, { reason }));
            }}
          >
            {t('rights.extend')}
          </Button>
        ) : null}
        {request.subjectEmail ? (
          <>
            <Select
              size="small"
              aria-label={t('rights.reply')}
              value={template}
              onChange={(_event, data) => setTemplate(data.value as (typeof TEMPLATES)[number])}
            >
              {TEMPLATES.map((name) => (
                <option key={name} value={name}>
                  {t(`rights.template_${name}`)}
                </option>
              ))}
            </Select>
            <Button size="small" onClick={() => run(() => post(`${base}/reply`, { template }))}>
              {t('rights.reply')}
            </Button>
          </>
        ) : null}
        {open
          ? (['completed', 'rejected'] as const).map((status) => (
              <Button
                key={status}
                size="small"
                onClick={() => {
                  const note = window.prompt(t('rights.notePrompt'));
                  if (note) run(() => post(`${base}/close`, { status, note }));
                }}
              >
                {status === 'completed' ? t('rights.closeDone') : t('rights.closeRejected')}
              </Button>
            ))
          : null}
        <Button
          size="small"
          appearance="subtle"
          onClick={() =>
            apiFetch(base, 'rightsRequestDetailSchema').then((detail) => setTrail(detail.events), onError)
          }
        >
          {t('rights.trail')}
        </Button>
      </div>
      {trail ? (
        <ol>
          {trail.map((event) => (
            <li key={`${event.occurredAt}-${event.action}`}>
              <Caption1>{`${format.dateTime(event.occurredAt)} · ${event.actor} · ${event.action} · ${event.outcome}`}</Caption1>
            </li>
          ))}
        </ol>
      ) : null}
    </li>
  );
}

/** The queue of data-subject requests (docs/privacy-rights.md): open ones by deadline, overdue marked. */
export function RightsRequestsView({ onError }: { onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const loaded = useLoad(
    () => apiFetch('/operator/api/rights-requests', 'listRightsRequestsResponseSchema'),
    onError,
  );
  return (
    <Section title={t('rights.queueTitle')} labelId="rights-title">
      <LoadState loaded={loaded} loadFailed={(message) => t('rights.failed', { message })}>
        {({ requests }) =>
          requests.length === 0 ? (
            <Text>{t('rights.queueEmpty')}</Text>
          ) : (
            <ul className={styles.list} aria-labelledby="rights-title">
              {requests.map((request) => (
                <RequestItem key={request.id} request={request} reload={loaded.reload} onError={onError} />
              ))}
            </ul>
          )
        }
      </LoadState>
    </Section>
  );
}
