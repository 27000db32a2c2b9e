import {
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  makeStyles,
  mergeClasses,
  Spinner,
  Text,
  ToggleButton,
  tokens,
} from '@fluentui/react-components';
import {
  AttachRegular,
  DismissRegular,
  MailInboxRegular,
  PinOffRegular,
  PinRegular,
} from '@fluentui/react-icons';
import type { ClientConfig } from '@mailissa/web/addin/addin-api.js';
import { formatDateTime } from '@mailissa/web/ui/layout.js';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { acquireToken, type EmulatorSession, GRAPH_SCOPES } from './emulator-auth.js';
import {
  type GraphAttachment,
  type GraphMessage,
  getMessage,
  listAttachments,
  listMessages,
  listSharedMailboxes,
  type SharedMailbox,
} from './emulator-graph.js';
import type { ItemSnapshot, RecipientSnapshot, SelectedSnapshot } from './office-standin/protocol.js';
import { ReadingPane } from './ReadingPane.js';
import { TaskPane } from './TaskPane.js';

const useStyles = makeStyles({
  ribbon: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  ribbonLabel: { color: tokens.colorNeutralForeground3, marginRight: tokens.spacingHorizontalS },
  body: { display: 'flex', flexGrow: 1, minHeight: 0 },
  list: {
    width: '340px',
    flexShrink: 0,
    overflowY: 'auto',
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  listTitle: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    fontWeight: tokens.fontWeightSemibold,
  },
  item: {
    display: 'flex',
    flexDirection: 'column',
    gap: '2px',
    width: '100%',
    textAlign: 'left',
    border: 'none',
    borderLeft: '3px solid transparent',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: 'transparent',
    cursor: 'pointer',
    font: 'inherit',
    color: tokens.colorNeutralForeground1,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  selected: {
    backgroundColor: tokens.colorBrandBackground2,
    borderLeftColor: tokens.colorBrandStroke1,
    ':hover': { backgroundColor: tokens.colorBrandBackground2Hover },
  },
  itemTop: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  sender: { flexGrow: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  subject: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    color: tokens.colorBrandForeground1,
  },
  preview: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    color: tokens.colorNeutralForeground3,
  },
  reading: { flexGrow: 1, minWidth: 0, display: 'flex', flexDirection: 'column' },
  folders: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL} 0`,
  },
  chips: { display: 'flex', flexWrap: 'wrap', gap: '4px' },
  chip: {
    fontSize: tokens.fontSizeBase100,
    padding: '0 6px',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  center: { display: 'grid', placeItems: 'center', flexGrow: 1, color: tokens.colorNeutralForeground3 },
});

function recipient(
  value: { emailAddress: { name?: string; address?: string } } | null | undefined,
): RecipientSnapshot {
  return {
    name: value?.emailAddress.name ?? value?.emailAddress.address ?? '',
    address: value?.emailAddress.address ?? '',
  };
}

function toSnapshot(message: GraphMessage, attachments: GraphAttachment[], mailbox?: string): ItemSnapshot {
  return {
    ...(mailbox ? { shared: { owner: mailbox, targetMailbox: mailbox } } : {}),
    restId: message.id,
    internetMessageId: message.internetMessageId ?? '',
    conversationId: message.conversationId ?? '',
    subject: message.subject ?? '',
    from: recipient(message.from),
    to: (message.toRecipients ?? []).map(recipient),
    cc: (message.ccRecipients ?? []).map(recipient),
    createdDateTime: message.receivedDateTime ?? message.createdDateTime ?? new Date().toISOString(),
    attachments: attachments.map((attachment) => ({
      id: attachment.id,
      name: attachment.name,
      contentType: attachment.contentType ?? 'application/octet-stream',
      size: attachment.size,
      isInline: attachment.isInline,
      kind: attachment['@odata.type']?.endsWith('itemAttachment')
        ? 'item'
        : attachment['@odata.type']?.endsWith('referenceAttachment')
          ? 'cloud'
          : 'file',
    })),
    categories: message.categories ?? [],
  };
}

/**
 * How often the mail list is read again, so categories set elsewhere show up. Outlook shows such a
 * change within a second or two; a test that waits for it should not wait longer here.
 */
const LIST_REFRESH_MS = 1000;

export interface OpenMessage {
  /** The shared mailbox the mail is in; undefined for the user's own. */
  mailbox?: string | undefined;
  message: GraphMessage;
  attachments: GraphAttachment[];
  snapshot: ItemSnapshot;
}

/** The signed-in mailbox: ribbon, mail list, reading pane and the add-in's task pane. */
export function Mailbox({ session, config }: { session: EmulatorSession; config: ClientConfig }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const [messages, setMessages] = useState<GraphMessage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  /** Every mail selected: the one clicked, or several by Ctrl-click (Cmd-click) as in Outlook. */
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [open, setOpen] = useState<OpenMessage | null>(null);
  const [paneOpen, setPaneOpen] = useState(false);
  const [pinned, setPinned] = useState(false);
  const pinnedRef = useRef(pinned);
  pinnedRef.current = pinned;
  /** The shared mailbox shown (its address), or undefined for the user's own. */
  const [mailbox, setMailbox] = useState<string | undefined>(undefined);
  const [sharedMailboxes, setSharedMailboxes] = useState<SharedMailbox[]>([]);

  const graphToken = useCallback(
    async () => (await acquireToken(session, config.clientId, GRAPH_SCOPES)).accessToken,
    [session, config.clientId],
  );

  useEffect(() => {
    void (async () => setSharedMailboxes(await listSharedMailboxes(await graphToken())))();
  }, [graphToken]);

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const list = await listMessages(await graphToken(), 100, mailbox);
        if (!stopped) setMessages(list);
      } catch (cause) {
        if (!stopped) setError(cause instanceof Error ? cause.message : String(cause));
      }
    };
    void load();
    // Outlook's list follows changes made elsewhere (categories set by Mailissa or by Graph).
    const timer = window.setInterval(() => void load(), LIST_REFRESH_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [graphToken, mailbox]);

  const select = useCallback(
    async (id: string) => {
      setSelectedId(id);
      // Outlook closes an unpinned task pane when the selection changes; a pinned one follows it.
      if (!pinnedRef.current) setPaneOpen(false);
      try {
        const token = await graphToken();
        const [message, attachments] = await Promise.all([
          getMessage(token, id, mailbox),
          listAttachments(token, id, mailbox),
        ]);
        setOpen({ mailbox, message, attachments, snapshot: toSnapshot(message, attachments, mailbox) });
      } catch (cause) {
        setError(cause instanceof Error ? cause.message : String(cause));
      }
    },
    [graphToken, mailbox],
  );

  /** A click selects one mail; Ctrl-click adds it to the selection or takes it out again. */
  const click = (id: string, event: { ctrlKey: boolean; metaKey: boolean }) => {
    if (!(event.ctrlKey || event.metaKey)) {
      setSelectedIds([id]);
      void select(id);
      return;
    }
    const next = selectedIds.includes(id)
      ? selectedIds.filter((other) => other !== id)
      : [...selectedIds, id];
    if (next.length === 0) return;
    setSelectedIds(next);
    const shown = next.includes(id) ? id : next[next.length - 1];
    if (shown && shown !== selectedId) {
      // The reading pane shows the mail last added, without closing a pinned pane.
      void select(shown);
    }
  };

  const selection = useMemo<SelectedSnapshot[]>(
    () =>
      selectedIds.flatMap((id) => {
        const message = messages?.find((candidate) => candidate.id === id);
        return message
          ? [
              {
                restId: message.id,
                subject: message.subject ?? '',
                internetMessageId: message.internetMessageId ?? '',
                conversationId: message.conversationId ?? '',
                hasAttachment: message.hasAttachments ?? false,
              },
            ]
          : [];
      }),
    [selectedIds, messages],
  );

  const openMailbox = (address: string | undefined) => {
    if (address === mailbox) return;
    setMailbox(address);
    setMessages(null);
    setSelectedId(null);
    setSelectedIds([]);
    setOpen(null);
  };

  const current = open && open.message.id === selectedId ? open : null;
  const userProfile = useMemo(
    () => ({
      displayName: session.claims.name,
      emailAddress: session.claims.preferred_username,
      timeZone: 'W. Europe Standard Time',
    }),
    [session],
  );

  return (
    <>
      <div className={styles.ribbon} role="toolbar" aria-label={t('emulator.ribbonAddins')}>
        <Caption1 className={styles.ribbonLabel}>{t('emulator.ribbonAddins')}</Caption1>
        <ToggleButton
          checked={paneOpen}
          disabled={!current}
          appearance="subtle"
          icon={
            <span aria-hidden="true" style={{ fontWeight: 700, color: tokens.colorBrandForeground1 }}>
              M
            </span>
          }
          title={t('emulator.openAddinHint')}
          onClick={() => setPaneOpen((value) => !value)}
          data-testid="open-addin"
        >
          {t('emulator.openAddin')}
        </ToggleButton>
      </div>
      {error ? (
        <MessageBar intent="error">
          <MessageBarBody>{t('emulator.loadFailed', { message: error })}</MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.body}>
        <nav className={styles.list} aria-label={t('emulator.inbox')}>
          {sharedMailboxes.length > 0 ? (
            <div className={styles.folders} title={t('emulator.folders')}>
              <ToggleButton
                size="small"
                checked={mailbox === undefined}
                onClick={() => openMailbox(undefined)}
                data-testid="mailbox-own"
              >
                {t('emulator.inbox')}
              </ToggleButton>
              {sharedMailboxes.map((shared) => (
                <ToggleButton
                  key={shared.id}
                  size="small"
                  checked={mailbox === shared.address}
                  onClick={() => openMailbox(shared.address)}
                  data-testid="mailbox-shared"
                  data-address={shared.address}
                >
                  {t('emulator.sharedMailbox', { name: shared.displayName })}
                </ToggleButton>
              ))}
            </div>
          ) : null}
          <div className={styles.listTitle}>
            <MailInboxRegular /> {t('emulator.inbox')}
          </div>
          {messages === null ? (
            <Spinner size="small" label={t('emulator.loadingMessages')} />
          ) : messages.length === 0 ? (
            <Text className={styles.listTitle}>{t('emulator.noMessages')}</Text>
          ) : (
            messages.map((message) => (
              <button
                type="button"
                key={message.id}
                className={mergeClasses(styles.item, selectedIds.includes(message.id) && styles.selected)}
                aria-current={message.id === selectedId ? 'true' : undefined}
                aria-pressed={selectedIds.length > 1 ? selectedIds.includes(message.id) : undefined}
                onClick={(event) => click(message.id, event)}
                data-testid="mail-item"
                data-subject={message.subject ?? ''}
              >
                <span className={styles.itemTop}>
                  <Text weight={message.isRead === false ? 'bold' : 'semibold'} className={styles.sender}>
                    {message.from?.emailAddress.name ?? message.from?.emailAddress.address ?? ''}
                  </Text>
                  {message.hasAttachments ? <AttachRegular aria-label={t('emulator.attachments')} /> : null}
                  <Caption1>{formatDateTime(message.receivedDateTime, i18n.language)}</Caption1>
                </span>
                <Text size={200} className={styles.subject}>
                  {message.subject || t('emulator.noSubject')}
                </Text>
                <Caption1 className={styles.preview}>{message.bodyPreview ?? ''}</Caption1>
                {message.categories && message.categories.length > 0 ? (
                  <span
                    className={styles.chips}
                    title={t('emulator.categories')}
                    data-testid="mail-categories"
                  >
                    {message.categories.map((category) => (
                      <span key={category} className={styles.chip}>
                        {category}
                      </span>
                    ))}
                  </span>
                ) : null}
              </button>
            ))
          )}
        </nav>
        <section className={styles.reading}>
          {current ? (
            <ReadingPane open={current} graphToken={graphToken} />
          ) : selectedId ? (
            <div className={styles.center}>
              <Spinner />
            </div>
          ) : (
            <div className={styles.center}>{t('emulator.selectMessage')}</div>
          )}
        </section>
        {paneOpen && (current || pinned) ? (
          <TaskPane
            session={session}
            config={config}
            item={open?.snapshot ?? null}
            selected={selection}
            userProfile={userProfile}
            displayLanguage={i18n.language === 'de' ? 'de-DE' : 'en-US'}
            graphToken={graphToken}
            pinned={pinned}
            mailbox={mailbox}
            onDisplayMessage={(restId) => {
              setSelectedIds([restId]);
              void select(restId);
            }}
            headerActions={
              <>
                <ToggleButton
                  size="small"
                  appearance="subtle"
                  checked={pinned}
                  icon={pinned ? <PinOffRegular /> : <PinRegular />}
                  title={t('emulator.pinHint')}
                  onClick={() => setPinned((value) => !value)}
                  data-testid="pin-addin"
                >
                  {pinned ? t('emulator.unpin') : t('emulator.pin')}
                </ToggleButton>
                <Button
                  size="small"
                  appearance="subtle"
                  icon={<DismissRegular />}
                  aria-label={t('emulator.closePane')}
                  title={t('emulator.closePane')}
                  onClick={() => setPaneOpen(false)}
                />
              </>
            }
          />
        ) : null}
      </div>
    </>
  );
}
