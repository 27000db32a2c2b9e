import {
  Button,
  Caption1,
  Checkbox,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Subtitle2,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ArrowUploadRegular, CheckmarkCircleFilled, DismissCircleFilled } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadingSpinner } from '../../ui/loading-spinner';
import type { AddinApi, Target } from '../addin-api.js';
import { useLiveTransfer } from '../TransferPanel.js';
import { type BatchEntry, type BatchMail, sendBatch } from './batch.js';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalXS },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, overflowWrap: 'anywhere' },
  target: { justifyContent: 'flex-start', textAlign: 'left', width: '100%', minHeight: '40px' },
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
 * the same choices for every mail, one transfer per mail and one progress list.
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
  const [skipFiled, setSkipFiled] = useState(true);
  const [entries, setEntries] = useState<BatchEntry[] | null>(null);
  const [target, setTarget] = useState<Target | null>(null);

  const start = async (chosen: Target) => {
    setTarget(chosen);
    setEntries(mails.map((mail) => ({ mail, state: 'waiting' })));
    await sendBatch(
      api.sendTransfer,
      mails,
      chosen.id,
      // Unticked: the user's remembered duplicate choice applies, else both copies are kept.
      skipFiled ? { onDuplicate: 'skip' } : {},
      (index, entry) =>
        setEntries((list) => (list ? list.map((old, i) => (i === index ? entry : old)) : list)),
    );
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
      ) : (
        <>
          <Checkbox
            checked={skipFiled}
            onChange={(_e, d) => setSkipFiled(d.checked === true)}
            label={t('batch.skipFiled')}
            data-testid="batch-skip-filed"
          />
          {targets.length === 0 ? <Text>{t('addin.noTargets')}</Text> : null}
          {targets.map((candidate) => (
            <Button
              key={candidate.id}
              className={styles.target}
              icon={<ArrowUploadRegular />}
              onClick={() => void start(candidate)}
              aria-label={t('batch.transferAll', { count: mails.length, target: candidate.title })}
              data-testid="batch-target"
            >
              {candidate.title}
            </Button>
          ))}
        </>
      )}
      {mails.length === 0 ? (
        <MessageBar intent="info">
          <MessageBarBody>{t('batch.none')}</MessageBarBody>
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
