import {
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Subtitle2,
  Text,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowUploadRegular,
  CheckmarkCircleFilled,
  DismissCircleFilled,
  MoreHorizontalRegular,
  SubtractCircleRegular,
} from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadingSpinner } from '../../ui/loading-spinner';
import type { AddinApi, Target } from '../addin-api.js';
import { useLiveTransfer } from '../TransferPanel.js';
import { BatchOptionsForm } from './BatchOptionsForm.js';
import {
  type BatchChoices,
  type BatchEntry,
  type BatchMail,
  DEFAULT_BATCH_CHOICES,
  sendBatch,
} from './batch.js';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalXS },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, overflowWrap: 'anywhere' },
  targetRow: { display: 'flex', gap: tokens.spacingHorizontalXS },
  target: { justifyContent: 'flex-start', textAlign: 'left', width: '100%', minHeight: '40px' },
  neutral: { color: tokens.colorNeutralForeground3 },
  done: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

/** A mail's line: its subject and where its transfer stands, polled while it runs. */
function BatchRow({ api, entry }: { api: AddinApi; entry: BatchEntry }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const live = useLiveTransfer(api, entry.state === 'sent' ? entry.transfer : null);
  const state = entry.state === 'sent' ? (live?.state ?? entry.transfer.state) : entry.state;
  const icon =
    state === 'done' || state === 'skipped' ? (
      <CheckmarkCircleFilled className={styles.done} />
    ) : state === 'failed' || state === 'cancelled' || state === 'refused' ? (
      <DismissCircleFilled className={styles.failed} />
    ) : state === 'empty' ? (
      <SubtractCircleRegular className={styles.neutral} />
    ) : (
      <LoadingSpinner size="extra-tiny" />
    );
  return (
    <li className={styles.row} data-testid="batch-row" data-state={state}>
      {icon}
      <span>
        <Text>{entry.mail.subject || '—'}</Text>
        <br />
        <Caption1>
          {t(`batch.state.${state}`)}
          {entry.state === 'refused' ? `: ${entry.message}` : ''}
          {live?.state === 'failed' && live.failureReason ? `: ${live.failureReason}` : ''}
        </Caption1>
      </span>
    </li>
  );
}

/**
 * Several mails at once (selected in the list, or the open mail's whole conversation): one target,
 * the same choices for every mail, one transfer per mail and one progress list. A target's button
 * sends with the defaults in one click; the button beside it opens the choices first.
 */
export function BatchTransferPanel({
  api,
  targets,
  mails,
  kind,
  onBack,
}: {
  api: AddinApi;
  targets: Target[];
  mails: BatchMail[];
  kind: 'selection' | 'conversation';
  onBack?: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [entries, setEntries] = useState<BatchEntry[] | null>(null);
  const [target, setTarget] = useState<Target | null>(null);
  const [options, setOptions] = useState<{ target: Target; folders: boolean } | null>(null);
  const [busyTarget, setBusyTarget] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const start = async (chosen: Target, choices: BatchChoices) => {
    setOptions(null);
    setTarget(chosen);
    setEntries(mails.map((mail) => ({ mail, state: 'waiting' })));
    await sendBatch(api, mails, chosen.id, choices, (index, entry) =>
      setEntries((list) => (list ? list.map((old, i) => (i === index ? entry : old)) : list)),
    );
  };

  /** Whether the target has folders is the server's to say; the first mail stands for all. */
  const openOptions = async (chosen: Target) => {
    const first = mails[0];
    if (!first) return;
    setBusyTarget(chosen.id);
    setError(null);
    try {
      const prepared = await api.prepareTransfer({
        messageId: first.messageId,
        internetMessageId: first.internetMessageId,
        targetId: chosen.id,
      });
      setOptions({ target: chosen, folders: prepared.folders });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusyTarget(null);
    }
  };

  return (
    <div className={styles.panel} data-testid="batch-panel">
      <Subtitle2 as="h2">
        {kind === 'selection'
          ? t('batch.selected', { count: mails.length })
          : t('batch.conversation', { count: mails.length })}
      </Subtitle2>
      {entries && target ? (
        <>
          <Text>{t('batch.sendingTo', { target: target.title })}</Text>
          <ul className={styles.list} aria-label={t('batch.progress')} aria-live="polite">
            {entries.map((entry) => (
              <BatchRow key={entry.mail.messageId} api={api} entry={entry} />
            ))}
          </ul>
        </>
      ) : options ? (
        <BatchOptionsForm
          api={api}
          targetId={options.target.id}
          targetTitle={options.target.title}
          count={mails.length}
          folders={options.folders}
          onSend={(choices) => void start(options.target, choices)}
          onBack={() => setOptions(null)}
        />
      ) : mails.length > 0 ? (
        <>
          {targets.length === 0 ? (
            <Text>{t('addin.noTargets')}</Text>
          ) : (
            <Caption1>{t('batch.defaults')}</Caption1>
          )}
          {targets.map((candidate) => (
            <div key={candidate.id} className={styles.targetRow}>
              <Button
                className={styles.target}
                icon={
                  busyTarget === candidate.id ? <LoadingSpinner size="extra-tiny" /> : <ArrowUploadRegular />
                }
                disabled={busyTarget !== null}
                onClick={() => void start(candidate, DEFAULT_BATCH_CHOICES)}
                aria-label={t('batch.transferAll', { count: mails.length, target: candidate.title })}
                data-testid="batch-target"
              >
                {candidate.title}
              </Button>
              <Button
                appearance="subtle"
                icon={<MoreHorizontalRegular />}
                disabled={busyTarget !== null}
                onClick={() => void openOptions(candidate)}
                aria-label={t('transfer.options', { target: candidate.title })}
                title={t('transfer.options', { target: candidate.title })}
                data-testid="batch-target-options"
              />
            </div>
          ))}
        </>
      ) : (
        <MessageBar intent="info">
          <MessageBarBody>{t('batch.none')}</MessageBarBody>
        </MessageBar>
      )}
      {error ? (
        <MessageBar intent="error">
          <MessageBarBody>{t('addin.transferFailedToStart', { message: error })}</MessageBarBody>
        </MessageBar>
      ) : null}
      {onBack ? (
        <Button appearance="subtle" onClick={onBack} data-testid="batch-back">
          {t('batch.back')}
        </Button>
      ) : null}
    </div>
  );
}
