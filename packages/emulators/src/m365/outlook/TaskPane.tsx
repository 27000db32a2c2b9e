import { makeStyles, Text, tokens } from '@fluentui/react-components';
import type { ClientConfig } from '@mailissa/web/addin/addin-api.js';
import { type ReactNode, useEffect, useRef } from 'react';
import type { EmulatorSession } from './emulator-auth.js';
import { messageMimeBase64 } from './emulator-graph.js';
import { answerBridgeRequest } from './naa-broker.js';
import type {
  HostContext,
  HostToStandin,
  ItemSnapshot,
  SelectedSnapshot,
  StandinToHost,
} from './office-standin/protocol.js';

const useStyles = makeStyles({
  pane: {
    width: '380px',
    flexShrink: 0,
    display: 'flex',
    flexDirection: 'column',
    borderLeft: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  head: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS} ${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  title: { flexGrow: 1 },
  frame: { border: 'none', flexGrow: 1, width: '100%', backgroundColor: tokens.colorNeutralBackground2 },
});

function isFromStandin(
  event: MessageEvent,
  frame: HTMLIFrameElement | null,
): event is MessageEvent<StandinToHost> {
  const data: unknown = event.data;
  return (
    frame !== null &&
    event.source === frame.contentWindow &&
    event.origin === window.location.origin &&
    typeof data === 'object' &&
    data !== null &&
    (data as { source?: unknown }).source === 'mailissa-office-standin'
  );
}

/**
 * The task pane: the real add-in (`/addin/`) in a frame, and the host side of the Office.js stand-in
 * it loads — the context, `ItemChanged` for a pinned pane, `getAsFileAsync` and the NAA broker.
 */
export function TaskPane({
  session,
  config,
  item,
  selected,
  userProfile,
  displayLanguage,
  graphToken,
  pinned,
  headerActions,
  mailbox,
  onDisplayMessage,
}: {
  session: EmulatorSession;
  config: ClientConfig;
  item: ItemSnapshot | null;
  /** The mails selected in the list (several with Ctrl-click), for `getSelectedItemsAsync`. */
  selected: SelectedSnapshot[];
  userProfile: HostContext['userProfile'];
  displayLanguage: string;
  graphToken: () => Promise<string>;
  pinned: boolean;
  headerActions: ReactNode;
  /** The shared mailbox whose mail is shown; undefined for the user's own. */
  mailbox?: string | undefined;
  /** `displayMessageForm`: show this mail (REST id) in the list and reading pane. */
  onDisplayMessage: (restId: string) => void;
}) {
  const styles = useStyles();
  const frameRef = useRef<HTMLIFrameElement>(null);
  const itemRef = useRef(item);
  itemRef.current = item;
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  useEffect(() => {
    const post = (message: HostToStandin) =>
      frameRef.current?.contentWindow?.postMessage(message, window.location.origin);
    const onMessage = (event: MessageEvent) => {
      if (!isFromStandin(event, frameRef.current)) return;
      const message = event.data;
      switch (message.type) {
        case 'hello':
          post({
            source: 'mailissa-outlook-emulator',
            type: 'context',
            context: { displayLanguage, userProfile, item: itemRef.current, selected: selectedRef.current },
          });
          break;
        case 'get-as-file':
          void (async () => {
            try {
              const base64 = await messageMimeBase64(await graphToken(), message.restId, mailbox);
              post({
                source: 'mailissa-outlook-emulator',
                type: 'get-as-file-result',
                requestId: message.requestId,
                base64,
              });
            } catch (error) {
              post({
                source: 'mailissa-outlook-emulator',
                type: 'get-as-file-result',
                requestId: message.requestId,
                error: error instanceof Error ? error.message : String(error),
              });
            }
          })();
          break;
        case 'display-message-form':
          onDisplayMessage(message.restId);
          break;
        case 'naa':
          void answerBridgeRequest(message.payload, session, config.clientId).then((payload) => {
            if (payload) post({ source: 'mailissa-outlook-emulator', type: 'naa', payload });
          });
          break;
      }
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [displayLanguage, userProfile, graphToken, session, config.clientId, mailbox, onDisplayMessage]);

  // A pinned pane stays open and is told about the new selection, as Outlook fires ItemChanged.
  const lastItemId = useRef(item?.restId ?? null);
  useEffect(() => {
    const id = item?.restId ?? null;
    if (id === lastItemId.current) return;
    lastItemId.current = id;
    if (!pinned) return;
    frameRef.current?.contentWindow?.postMessage(
      { source: 'mailissa-outlook-emulator', type: 'item-changed', item } satisfies HostToStandin,
      window.location.origin,
    );
  }, [item, pinned]);

  // The selection changed: Outlook fires SelectedItemsChanged in a pane that supports multi-select.
  const selectionKey = selected.map((entry) => entry.restId).join(',');
  const lastSelection = useRef(selectionKey);
  useEffect(() => {
    if (selectionKey === lastSelection.current) return;
    lastSelection.current = selectionKey;
    frameRef.current?.contentWindow?.postMessage(
      {
        source: 'mailissa-outlook-emulator',
        type: 'selection-changed',
        selected: selectedRef.current,
      } satisfies HostToStandin,
      window.location.origin,
    );
  }, [selectionKey]);

  return (
    <aside className={styles.pane} aria-label="Mailissa" data-testid="task-pane">
      <div className={styles.head}>
        <Text weight="semibold" className={styles.title}>
          Mailissa
        </Text>
        {headerActions}
      </div>
      <iframe
        key={displayLanguage}
        ref={frameRef}
        className={styles.frame}
        title="Mailissa"
        src="/addin/"
        data-testid="addin-frame"
      />
    </aside>
  );
}
