import { Button, Caption1, Link, makeStyles, Text, tokens } from '@fluentui/react-components';
import {
  ErrorCircleRegular,
  KeyRegular,
  MailRegular,
  PersonLockRegular,
  PlugDisconnectedRegular,
} from '@fluentui/react-icons';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../ui/api-client.js';
import { ProductMark, StatusScreen } from '../ui/layout.js';
import { YourDataView } from '../ui/YourDataView.js';
import {
  type AddinApi,
  type Administrator,
  type Bootstrap,
  createAddinApi,
  type Target,
} from './addin-api.js';
import { type AddinAuth, InteractionRequiredError } from './addin-auth.js';
import type { MessageRead, OfficeApi } from './office-api.js';
import { type QuietSignIn, signInQuietly } from './quiet-sign-in.js';
import { TransferPanel } from './TransferPanel.js';
import { TeamWorkspace } from './team/TeamWorkspace.js';
import { BatchTransferPanel } from './transfer/BatchTransferPanel.js';
import { type BatchMail, readSelection } from './transfer/batch.js';

type AddinState =
  | { kind: 'starting' }
  | { kind: 'signing-in' }
  | { kind: 'needs-sign-in'; auth: AddinAuth; error?: string }
  | { kind: 'no-subscription'; registrationUrl: string }
  | { kind: 'no-licence'; administrators: Administrator[] }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; api: AddinApi; me: Bootstrap; targets: Target[] };

const useStyles = makeStyles({
  pane: { display: 'flex', flexDirection: 'column', minHeight: '100vh' },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  who: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  ellipsis: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  body: { flexGrow: 1, padding: tokens.spacingHorizontalM },
  admins: { listStyleType: 'none', padding: 0, margin: 0 },
});

function administratorsOf(details: Record<string, unknown>): Administrator[] {
  const list = details.administrators;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { displayName, email } = entry as Record<string, unknown>;
    return typeof displayName === 'string' && typeof email === 'string' ? [{ displayName, email }] : [];
  });
}

/** The task pane: starts, signs in, and shows one clear screen per state. */
export function AddinApp({
  office,
  languageKnown = true,
  firstSignIn,
}: {
  office: OfficeApi | null;
  /** Outlook's language is one we speak; if not, the bootstrap's (the tenant's default) is taken. */
  languageKnown?: boolean;
  /** The sign-in started before the first render (main.tsx); the first attempt takes it over. */
  firstSignIn?: QuietSignIn;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const [state, setState] = useState<AddinState>({ kind: 'starting' });
  // "Your data" (docs/privacy-rights.md) replaces the transfer panel while it is open.
  const [showData, setShowData] = useState(false);
  // Wrapped so that every ItemChanged re-renders, even if a host reuses the item object.
  const [selection, setSelection] = useState<{ item: MessageRead | null }>({
    item: office?.context.mailbox.item ?? null,
  });
  const item = selection.item;
  const [attempt, setAttempt] = useState(0);

  // The pane's language for the bootstrap, if Outlook's is one we speak; read when asked.
  const bootstrapLanguage = useCallback(
    () => (languageKnown ? (i18n.language === 'de' ? 'de' : 'en') : undefined),
    [i18n, languageKnown],
  );
  const loadWithToken = useCallback(
    async (
      auth: AddinAuth,
      registrationUrl: string,
      /** The bootstrap already asked for with this token (the quiet sign-in's). */
      asked?: Promise<Bootstrap | null>,
    ): Promise<AddinState> => {
      const api = createAddinApi(() => auth.getAccessToken());
      try {
        // One request for user, licences and the visible targets by category, in the pane's language.
        const me = (await asked) ?? (await api.bootstrap(bootstrapLanguage()));
        if (!languageKnown && me.language !== i18n.language) await i18n.changeLanguage(me.language);
        if (!me.licences.includes('transfer') && !me.licences.includes('team')) {
          return { kind: 'no-licence', administrators: me.administrators };
        }
        const targets = me.groups.flatMap((group) =>
          group.targets.map((target) => ({
            ...target,
            category: group.category?.name ?? '',
            categoryId: group.category?.id ?? null,
            categoryColor: group.category?.color ?? null,
          })),
        );
        return { kind: 'ready', api, me, targets };
      } catch (error) {
        if (isApiError(error, 'no_subscription')) {
          const url = error.details.registrationUrl;
          return {
            kind: 'no-subscription',
            registrationUrl: typeof url === 'string' ? url : registrationUrl,
          };
        }
        if (isApiError(error, 'no_licence')) {
          return { kind: 'no-licence', administrators: administratorsOf(error.details) };
        }
        if (error instanceof InteractionRequiredError) return { kind: 'needs-sign-in', auth };
        throw error;
      }
    },
    [i18n, languageKnown, bootstrapLanguage],
  );

  const registrationUrl = useRef('');
  useEffect(() => {
    if (!office) return;
    let cancelled = false;
    const settle = (next: AddinState) => {
      if (!cancelled) setState(next);
    };
    void (async () => {
      try {
        // "Try again" starts afresh; the first attempt may find its sign-in well under way.
        const signIn =
          attempt === 0 && firstSignIn ? firstSignIn : signInQuietly(office, bootstrapLanguage());
        const config = await signIn.config;
        registrationUrl.current = config.registrationUrl;
        settle({ kind: 'signing-in' });
        const { auth, needsSignIn } = await signIn.signedIn;
        if (needsSignIn) return settle({ kind: 'needs-sign-in', auth });
        settle(await loadWithToken(auth, config.registrationUrl, signIn.bootstrap));
      } catch (error) {
        settle({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [office, loadWithToken, attempt, firstSignIn, bootstrapLanguage]);

  // A pinned pane stays open while the user selects other mails: follow the selection.
  useEffect(() => {
    if (!office) return;
    const mailbox = office.context.mailbox;
    mailbox.addHandlerAsync(office.EventType.ItemChanged, () => setSelection({ item: mailbox.item }));
    return () => mailbox.removeHandlerAsync(office.EventType.ItemChanged);
  }, [office]);

  // Several mails selected (Mailbox 1.13+): the pane offers to transfer them all.
  const [several, setSeveral] = useState<BatchMail[]>([]);
  useEffect(() => {
    if (!office) return;
    let stale = false;
    const read = () =>
      void readSelection(office).then((mails) => {
        if (!stale) setSeveral(mails);
      });
    read();
    const event = office.EventType.SelectedItemsChanged;
    const mailbox = office.context.mailbox;
    if (event && mailbox.getSelectedItemsAsync) mailbox.addHandlerAsync(event, read);
    return () => {
      stale = true;
      if (event && mailbox.getSelectedItemsAsync) mailbox.removeHandlerAsync(event);
    };
  }, [office]);

  const signIn = useCallback(async () => {
    if (state.kind !== 'needs-sign-in') return;
    const { auth } = state;
    try {
      await auth.signInWithPopup();
      setState({ kind: 'signing-in' });
      setState(await loadWithToken(auth, registrationUrl.current));
    } catch (error) {
      setState({
        kind: 'needs-sign-in',
        auth,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }, [state, loadWithToken]);

  const header = useMemo(() => {
    if (state.kind !== 'ready') return null;
    return (
      <header className={styles.header}>
        <ProductMark />
        <div className={styles.who}>
          <Text weight="semibold" className={styles.ellipsis} data-testid="addin-user">
            {state.me.user.displayName}
          </Text>
          <Caption1 className={styles.ellipsis} data-testid="addin-tenant">
            {state.me.user.email} · {state.me.tenant.name}
          </Caption1>
        </div>
      </header>
    );
  }, [state, styles]);

  if (!office) {
    return (
      <StatusScreen icon={<MailRegular />} title={t('addin.title')}>
        {t('addin.notInOutlook')}
      </StatusScreen>
    );
  }

  let content: ReactNode;
  switch (state.kind) {
    case 'starting':
      content = <StatusScreen busy title={t('addin.starting')} testId="addin-starting" />;
      break;
    case 'signing-in':
      content = <StatusScreen busy title={t('addin.signingIn')} testId="addin-signing-in" />;
      break;
    case 'needs-sign-in':
      content = (
        <StatusScreen
          icon={<KeyRegular />}
          title={t('addin.signInTitle')}
          testId="addin-needs-sign-in"
          actions={
            <Button appearance="primary" onClick={() => void signIn()}>
              {t('addin.signIn')}
            </Button>
          }
        >
          {state.error ? t('addin.signInFailed', { message: state.error }) : t('addin.signInBody')}
        </StatusScreen>
      );
      break;
    case 'no-subscription':
      content = (
        <StatusScreen
          icon={<PlugDisconnectedRegular />}
          title={t('addin.noSubscriptionTitle')}
          testId="addin-no-subscription"
          actions={
            <Button as="a" appearance="primary" href={state.registrationUrl} target="_blank" rel="noopener">
              {t('addin.register')}
            </Button>
          }
        >
          {t('addin.noSubscriptionBody')}
        </StatusScreen>
      );
      break;
    case 'no-licence':
      content = (
        <StatusScreen
          icon={<PersonLockRegular />}
          title={t('addin.noLicenceTitle')}
          testId="addin-no-licence"
        >
          {state.administrators.length > 0 ? (
            <>
              <p>{t('addin.noLicenceBody')}</p>
              <ul className={styles.admins}>
                {state.administrators.map((admin) => (
                  <li key={admin.email}>
                    <Text weight="semibold">{admin.displayName}</Text>{' '}
                    <Link href={`mailto:${admin.email}`}>{admin.email}</Link>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            t('addin.noLicenceNobody')
          )}
        </StatusScreen>
      );
      break;
    case 'error':
      content = (
        <StatusScreen
          icon={<ErrorCircleRegular />}
          title={t('addin.errorTitle')}
          testId="addin-error"
          actions={<Button onClick={() => setAttempt((n) => n + 1)}>{t('common.retry')}</Button>}
        >
          {state.message}
        </StatusScreen>
      );
      break;
    case 'ready':
      content = showData ? (
        <YourDataView base="/api/me" accessToken={state.api.accessToken} onError={() => undefined} />
      ) : (
        // Team beside Transfer for users with a Team licence; otherwise just the Transfer panel.
        <TeamWorkspace
          me={state.me}
          getAccessToken={state.api.accessToken}
          office={office}
          item={item}
          noItem={<StatusScreen icon={<MailRegular />} title={t('addin.noItem')} testId="addin-no-item" />}
        >
          {several.length > 1 ? (
            <BatchTransferPanel
              key={several.map((mail) => mail.messageId).join(',')}
              api={state.api}
              targets={state.targets}
              mails={several}
              kind="selection"
            />
          ) : item ? (
            <TransferPanel
              key={item.itemId}
              api={state.api}
              targets={state.targets}
              item={item}
              office={office}
            />
          ) : (
            <StatusScreen icon={<MailRegular />} title={t('addin.noItem')} testId="addin-no-item" />
          )}
        </TeamWorkspace>
      );
      content = (
        <>
          {content}
          <Link data-testid="toggle-your-data" onClick={() => setShowData((shown) => !shown)}>
            {showData ? t('rights.back') : t('rights.yourData')}
          </Link>
        </>
      );
      break;
  }

  return (
    <div className={styles.pane}>
      {header}
      <div className={styles.body}>{content}</div>
    </div>
  );
}
