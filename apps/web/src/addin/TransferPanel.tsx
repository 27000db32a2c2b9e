import {
  Badge,
  Button,
  Caption1,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  SearchBox,
  Subtitle2,
  Text,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowUploadRegular,
  CheckmarkCircleFilled,
  DismissCircleFilled,
  FolderRegular,
  MoreHorizontalRegular,
  OpenRegular,
} from '@fluentui/react-icons';
import type {
  DuplicateChoice,
  PrepareTransferResponse,
  TargetSuggestions,
  TransferChoices,
} from '@mailissa/contracts';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../ui/api-client.js';
import { formatBytes, formatRelativeDay } from '../ui/layout.js';
import { LoadingSpinner } from '../ui/loading-spinner';
import { openLinkKind } from '../ui/open-link.js';
import type { AddinApi, Target, Transfer } from './addin-api.js';
import { ConnectAccount } from './connect/ConnectAccount.js';
import type { MessageRead, OfficeApi } from './office-api.js';
import { BatchTransferPanel } from './transfer/BatchTransferPanel.js';
import type { BatchMail } from './transfer/batch.js';
import { DuplicateQuestion, TransferControls, TransferOptionsForm } from './transfer/TransferChoices.js';

const ENDED = new Set(['done', 'failed', 'cancelled']);

/**
 * The waits between looks at a running transfer: an ordinary mail is filed within a second, so the
 * first looks come sooner (the user sees "done" without waiting out a full second), then once a second.
 */
const POLL_DELAYS_MS = [250, 250, 500];
const POLL_INTERVAL_MS = 1000;

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  mail: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    paddingBottom: tokens.spacingVerticalS,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  subject: { overflowWrap: 'anywhere' },
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  groupTitle: {
    color: tokens.colorNeutralForeground3,
    textTransform: 'uppercase',
    letterSpacing: '0.04em',
    marginTop: tokens.spacingVerticalS,
  },
  target: {
    justifyContent: 'flex-start',
    textAlign: 'left',
    width: '100%',
    minHeight: '40px',
    fontWeight: tokens.fontWeightRegular,
  },
  status: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow4,
  },
  statusLine: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  done: { color: tokens.colorPaletteGreenForeground1, fontSize: '20px' },
  failed: { color: tokens.colorPaletteRedForeground1, fontSize: '20px' },
  files: { margin: 0, paddingLeft: tokens.spacingHorizontalL, color: tokens.colorNeutralForeground2 },
  earlier: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/** Groups in the order the server gives (the administrators' category order), titles sorted within. */
function groupByCategory(targets: Target[]): [string, Target[]][] {
  const groups = new Map<string, Target[]>();
  for (const target of targets) {
    const list = groups.get(target.category) ?? [];
    list.push(target);
    groups.set(target.category, list);
  }
  return [...groups.entries()].map(([category, list]) => [
    category,
    list.sort((a, b) => a.title.localeCompare(b.title)),
  ]);
}

function useEarlierTransfers(api: AddinApi, internetMessageId: string, refresh: number) {
  const [transfers, setTransfers] = useState<Transfer[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new `refresh` value reloads on purpose.
  useEffect(() => {
    let cancelled = false;
    api
      .transfersOfMessage(internetMessageId)
      .then((list) => {
        if (!cancelled) setTransfers(list);
      })
      .catch(() => {
        // The notice is a help, not a requirement: without it the user can still transfer.
      });
    return () => {
      cancelled = true;
    };
  }, [api, internetMessageId, refresh]);
  return transfers;
}

/** Polls a transfer (soon at first, then about once a second) until it is done or failed. */
export function useLiveTransfer(api: AddinApi, started: Transfer | null): Transfer | null {
  const [transfer, setTransfer] = useState<Transfer | null>(started);
  useEffect(() => {
    setTransfer(started);
    if (!started) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let polls = 0;
    const schedule = () => {
      timer = setTimeout(() => void poll(), POLL_DELAYS_MS[polls] ?? POLL_INTERVAL_MS);
      polls += 1;
    };
    const poll = async () => {
      try {
        const latest = await api.transfer(started.id, controller.signal);
        setTransfer(latest);
        if (ENDED.has(latest.state)) return;
      } catch {
        if (controller.signal.aborted) return;
      }
      schedule();
    };
    if (!ENDED.has(started.state)) schedule();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [api, started]);
  return transfer;
}

function TransferStatus({
  transfer,
  api,
  onChange,
}: {
  transfer: Transfer;
  api: AddinApi;
  onChange: (transfer: Transfer) => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const target = transfer.target.title;
  const kind = openLinkKind(transfer.target.connectorType);
  const icon =
    transfer.state === 'done' ? (
      <CheckmarkCircleFilled className={styles.done} />
    ) : transfer.state === 'failed' || transfer.state === 'cancelled' ? (
      <DismissCircleFilled className={styles.failed} />
    ) : (
      <LoadingSpinner size="extra-tiny" />
    );
  return (
    <div
      className={styles.status}
      role="status"
      aria-live="polite"
      data-testid="transfer-status"
      data-state={transfer.state}
    >
      <div className={styles.statusLine}>
        {icon}
        <Text weight="semibold">{t(`addin.state.${transfer.state}`)}</Text>
      </div>
      <Text>
        {t(`addin.stateDetail.${transfer.state}`, {
          target,
          reason: transfer.failureReason ?? t('addin.unknownReason'),
        })}
      </Text>
      <TransferControls api={api} transfer={transfer} onChange={onChange} />
      {transfer.state === 'done' && transfer.files.length > 0 ? (
        <ul className={styles.files} aria-label={t('addin.files')}>
          {transfer.files.map((file) => (
            <li key={file.name}>
              <Caption1>
                {file.name} ({formatBytes(file.size, i18n.language)})
              </Caption1>
            </li>
          ))}
        </ul>
      ) : null}
      {transfer.state === 'done' && transfer.folderUrl ? (
        <Link href={transfer.folderUrl} target="_blank" rel="noopener" data-testid="transfer-folder-link">
          {kind === 'folder' ? <FolderRegular /> : null} {t(`addin.openLink.${kind}`)} <OpenRegular />
        </Link>
      ) : null}
    </div>
  );
}

function EarlierTransfers({ transfers }: { transfers: Transfer[] }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const relevant = transfers.filter(
    (transfer) => transfer.state !== 'failed' && transfer.state !== 'cancelled',
  );
  if (relevant.length === 0) return null;
  const words = { today: t('addin.today'), yesterday: t('addin.yesterday') };
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="earlier-transfers">
      <MessageBarBody>
        <MessageBarTitle>{t('addin.earlierTitle')}</MessageBarTitle>
        <ul className={styles.earlier}>
          {relevant.map((transfer) => {
            const values = {
              target: transfer.target.title,
              when: formatRelativeDay(transfer.finishedAt ?? transfer.createdAt, i18n.language, words),
              who: transfer.createdBy?.isYou
                ? t('addin.you')
                : (transfer.createdBy?.displayName ?? t('addin.formerUser')),
              state: t(`addin.state.${transfer.state}`),
            };
            return (
              <li key={transfer.id}>
                {transfer.state === 'done' ? t('addin.earlierDone', values) : t('addin.earlierOther', values)}
              </li>
            );
          })}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}

/** The ready screen for one mail: earlier transfers, the targets to choose from, the live status. */
export function TransferPanel({
  api,
  targets,
  item,
  office,
}: {
  api: AddinApi;
  targets: Target[];
  item: MessageRead;
  office: OfficeApi;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [query, setQuery] = useState('');
  const [started, setStarted] = useState<Transfer | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [busyTarget, setBusyTarget] = useState<string | null>(null);
  /** The target whose account the user connects, and what happens after: send, or back to the options. */
  const [connecting, setConnecting] = useState<{ target: Target; afterwards: 'send' | 'options' } | null>(
    null,
  );
  const [refresh, setRefresh] = useState(0);
  const earlier = useEarlierTransfers(api, item.internetMessageId, refresh);
  const live = useLiveTransfer(api, started);
  const [suggestions, setSuggestions] = useState<TargetSuggestions['suggestions']>([]);
  const [pending, setPending] = useState<{
    target: Target;
    prepared: PrepareTransferResponse;
    mode: 'options' | 'duplicate';
    choices: TransferChoices;
  } | null>(null);
  const [skippedTarget, setSkippedTarget] = useState<string | null>(null);
  const [conversation, setConversation] = useState<BatchMail[] | 'loading' | null>(null);

  // Once the live transfer ends, the list of earlier transfers includes it.
  const liveState = live?.state;
  useEffect(() => {
    if (liveState && ENDED.has(liveState)) setRefresh((n) => n + 1);
  }, [liveState]);

  useEffect(() => {
    let stale = false;
    api
      .suggestions({ sender: item.from.emailAddress, conversationId: item.conversationId })
      .then((list) => {
        if (!stale) setSuggestions(list);
      })
      .catch(() => {
        // Suggestions are a help: without them every target is still listed.
      });
    return () => {
      stale = true;
    };
  }, [api, item.from.emailAddress, item.conversationId]);

  const groups = useMemo(() => {
    const needle = query.trim().toLowerCase();
    const matching = needle
      ? targets.filter(
          (target) =>
            target.title.toLowerCase().includes(needle) || target.category.toLowerCase().includes(needle),
        )
      : targets;
    return groupByCategory(matching);
  }, [targets, query]);

  const messageId = () =>
    office.context.mailbox.convertToRestId(item.itemId, office.MailboxEnums.RestVersion.v2_0);

  const send = async (target: Target, choices: TransferChoices) => {
    setBusyTarget(target.id);
    setStartError(null);
    setPending(null);
    try {
      const created = await api.sendTransfer({
        messageId: messageId(),
        internetMessageId: item.internetMessageId,
        targetId: target.id,
        ...choices,
      });
      if (created.skipped) {
        setSkippedTarget(target.title);
        setStarted(null);
      } else {
        setSkippedTarget(null);
        setStarted(created.transfer);
      }
    } catch (error) {
      // The target needs the user's own account (first use, or the system rejected it): connect.
      if (isApiError(error, 'target_account_not_connected')) {
        setConnecting({ target, afterwards: 'send' });
        return;
      }
      setStartError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusyTarget(null);
    }
  };

  /** One click sends with the defaults; a mail already in the target asks first (unless remembered). */
  const transfer = async (target: Target, mode: 'send' | 'options') => {
    setBusyTarget(target.id);
    setStartError(null);
    try {
      const prepared = await api.prepareTransfer({
        messageId: messageId(),
        internetMessageId: item.internetMessageId,
        targetId: target.id,
      });
      setBusyTarget(null);
      if (mode === 'options') {
        setPending({ target, prepared, mode: 'options', choices: {} });
      } else if (prepared.duplicates.length > 0 && prepared.rememberedChoice === null) {
        setPending({ target, prepared, mode: 'duplicate', choices: {} });
      } else {
        await send(target, {});
      }
    } catch (error) {
      setBusyTarget(null);
      setStartError(error instanceof Error ? error.message : String(error));
    }
  };

  const afterOptions = (choices: TransferChoices) => {
    if (!pending) return;
    if (pending.prepared.duplicates.length > 0 && pending.prepared.rememberedChoice === null) {
      setPending({ ...pending, mode: 'duplicate', choices });
    } else {
      void send(pending.target, choices);
    }
  };

  const chooseDuplicate = (choice: DuplicateChoice, remember: boolean) => {
    if (!pending) return;
    void send(pending.target, { ...pending.choices, onDuplicate: choice, rememberChoice: remember });
  };

  const targetButton = (target: Target, caption?: string) => (
    <div key={target.id} style={{ display: 'flex', gap: tokens.spacingHorizontalXS }}>
      <Button
        className={styles.target}
        appearance="secondary"
        icon={busyTarget === target.id ? <LoadingSpinner size="extra-tiny" /> : <ArrowUploadRegular />}
        disabled={busyTarget !== null || inProgress}
        onClick={() => void transfer(target, 'send')}
        aria-label={t('addin.transferButton', { target: target.title })}
        data-testid={caption ? 'suggested-target' : 'transfer-target'}
      >
        {target.title}
        {caption ? <Caption1 style={{ marginLeft: tokens.spacingHorizontalS }}>{caption}</Caption1> : null}
        {shownEarlier.some((entry) => entry.target.id === target.id && entry.state === 'done') ? (
          <Badge appearance="tint" color="warning" size="small" style={{ marginLeft: 'auto' }}>
            ✓
          </Badge>
        ) : null}
      </Button>
      <Button
        appearance="subtle"
        icon={<MoreHorizontalRegular />}
        disabled={busyTarget !== null || inProgress}
        onClick={() => void transfer(target, 'options')}
        aria-label={t('transfer.options', { target: target.title })}
        title={t('transfer.options', { target: target.title })}
        data-testid="target-options"
      />
    </div>
  );

  const suggested = suggestions.flatMap((suggestion) => {
    const target = targets.find((candidate) => candidate.id === suggestion.targetId);
    return target ? [{ target, reason: suggestion.reason }] : [];
  });

  const inProgress = live !== null && (live.state === 'queued' || live.state === 'running');
  const shownEarlier = earlier.filter((entry) => entry.id !== live?.id);
  const fileAttachments = item.attachments.filter((attachment) => !attachment.isInline);

  const openConversation = async () => {
    setConversation('loading');
    setStartError(null);
    try {
      const answer = await api.conversation(messageId());
      setConversation(answer.messages);
    } catch (error) {
      setConversation(null);
      setStartError(error instanceof Error ? error.message : String(error));
    }
  };

  if (Array.isArray(conversation)) {
    return (
      <BatchTransferPanel
        api={api}
        targets={targets}
        mails={conversation}
        kind="conversation"
        onBack={() => setConversation(null)}
      />
    );
  }

  return (
    <div className={styles.panel}>
      <div className={styles.mail}>
        <Subtitle2 className={styles.subject} data-testid="addin-subject">
          {item.subject || '—'}
        </Subtitle2>
        <Caption1>
          {item.from.displayName || item.from.emailAddress}
          {fileAttachments.length > 0
            ? ` · ${t('addin.attachments', { count: fileAttachments.length })}`
            : ''}
        </Caption1>
      </div>

      {item.conversationId ? (
        <Button
          appearance="subtle"
          disabled={conversation === 'loading' || inProgress}
          icon={conversation === 'loading' ? <LoadingSpinner size="extra-tiny" /> : undefined}
          onClick={() => void openConversation()}
          data-testid="whole-conversation"
        >
          {conversation === 'loading' ? t('batch.loadingConversation') : t('batch.wholeConversation')}
        </Button>
      ) : null}
      <EarlierTransfers transfers={shownEarlier} />
      {live ? <TransferStatus transfer={live} api={api} onChange={setStarted} /> : null}
      {skippedTarget ? (
        <MessageBar intent="info" data-testid="transfer-skipped">
          <MessageBarBody>{t('transfer.skipped', { target: skippedTarget })}</MessageBarBody>
        </MessageBar>
      ) : null}
      {pending?.mode === 'options' ? (
        <TransferOptionsForm
          api={api}
          targetId={pending.target.id}
          targetTitle={pending.target.title}
          prepared={pending.prepared}
          onSend={afterOptions}
          onBack={() => setPending(null)}
          onNeedsAccount={() => {
            setConnecting({ target: pending.target, afterwards: 'options' });
            setPending(null);
          }}
        />
      ) : null}
      {pending?.mode === 'duplicate' && pending.prepared.duplicates[0] ? (
        <DuplicateQuestion
          targetTitle={pending.target.title}
          duplicate={pending.prepared.duplicates[0]}
          onChoose={chooseDuplicate}
        />
      ) : null}
      {startError ? (
        <MessageBar intent="error">
          <MessageBarBody>{t('addin.transferFailedToStart', { message: startError })}</MessageBarBody>
        </MessageBar>
      ) : null}

      {connecting ? (
        <ConnectAccount
          api={api}
          target={connecting.target}
          onCancel={() => setConnecting(null)}
          onConnected={() => {
            setConnecting(null);
            void transfer(connecting.target, connecting.afterwards);
          }}
        />
      ) : null}

      <Subtitle2 as="h2">{t('addin.transferTo')}</Subtitle2>
      {targets.length === 0 ? (
        <Text>{t('addin.noTargets')}</Text>
      ) : (
        <>
          <SearchBox
            placeholder={t('addin.searchTargets')}
            aria-label={t('addin.searchTargets')}
            value={query}
            onChange={(_event, data) => setQuery(data.value)}
          />
          {groups.length === 0 ? <Text>{t('addin.noMatches', { query })}</Text> : null}
          {suggested.length > 0 && query.trim() === '' ? (
            <section className={styles.group} aria-label={t('transfer.suggested')} data-testid="suggested">
              <Caption1 className={styles.groupTitle}>{t('transfer.suggested')}</Caption1>
              {suggested.map(({ target, reason }) => targetButton(target, t(`transfer.reason.${reason}`)))}
            </section>
          ) : null}
          {groups.map(([category, list]) => (
            <section key={category} className={styles.group} aria-label={category}>
              <Caption1 className={styles.groupTitle}>{category}</Caption1>
              {list.map((target) => targetButton(target))}
            </section>
          ))}
        </>
      )}
    </div>
  );
}
