import { Button, makeStyles } from '@fluentui/react-components';
import { ErrorCircleRegular, LockClosedRegular } from '@fluentui/react-icons';
import { ERROR_CODES, SIGN_IN_OUTCOMES, type SignInError } from '@mailissa/contracts/codes';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, isApiError } from './api-client.js';
import { ErrorBar } from './data-view.js';
import { ConfirmDialog } from './dialog.js';
import { AppHeader, HeaderSignOutButton, HeaderUser, LanguageSwitcher, StatusScreen } from './layout.js';
import {
  fetchSession,
  keepSessionAlive,
  loginUrl,
  logout,
  type WebApp,
  type WebSession,
} from './session-api.js';
import { useIdleSignOut } from './use-idle-sign-out.js';

const useStyles = makeStyles({
  shell: { display: 'flex', flexDirection: 'column', minHeight: '100vh' },
});

/** Why the user is looking at the sign-in screen again: idle too long, session over, or signed out. */
export type SignedOutReason = 'idle' | 'expired' | 'by-you';

export type WebSessionState<S> =
  | { kind: 'loading' }
  | { kind: 'signed-out'; reason: SignedOutReason | null }
  | { kind: 'signed-in'; session: S }
  | { kind: 'error'; message: string };

export interface WebSessionHandle<S> {
  app: WebApp;
  state: WebSessionState<S>;
  /** The code the sign-in callback came back with (`?signin_error=<code>`), if it refused. */
  signInError: SignInError | null;
  signedOut: (reason: SignedOutReason) => void;
  /** Ends the session on the server, then shows the sign-in screen. */
  signOut: () => void;
  /** For the views' API errors: a 401 means the session ended (idle or expired) meanwhile. */
  onError: (error: unknown) => void;
}

function isSignInError(code: string): code is SignInError {
  return ([...ERROR_CODES, ...SIGN_IN_OUTCOMES] as readonly string[]).includes(code);
}

/** The session of the portal or the operator console: fetched once, ended by sign-out, idle or a 401. */
export function useWebSession(app: WebApp): WebSessionHandle<WebSession> {
  const [state, setState] = useState<WebSessionState<WebSession>>({ kind: 'loading' });
  // The sign-in callback comes back with ?signin_error=<code> when Microsoft or we refused it; the
  // code is read once and dropped from the address so a reload does not show it again.
  const [signInError] = useState(() => {
    const code = new URLSearchParams(window.location.search).get('signin_error');
    if (code) window.history.replaceState(null, '', window.location.pathname);
    if (code === null) return null;
    // A code the contract does not list (an older or newer server) still shows a generic failure.
    return isSignInError(code) ? code : 'sign_in_failed';
  });

  useEffect(() => {
    fetchSession(app).then(
      (session) => setState(session ? { kind: 'signed-in', session } : { kind: 'signed-out', reason: null }),
      (error: unknown) => setState({ kind: 'error', message: errorMessage(error) }),
    );
  }, [app]);

  const signedOut = useCallback((reason: SignedOutReason) => setState({ kind: 'signed-out', reason }), []);
  const signOut = useCallback(() => {
    void logout(app).finally(() => signedOut('by-you'));
  }, [app, signedOut]);
  const onError = useCallback(
    (error: unknown) => {
      if (isApiError(error) && error.status === 401) signedOut('expired');
    },
    [signedOut],
  );

  return { app, state, signInError, signedOut, signOut, onError };
}

export interface IdleWarningTexts {
  title: string;
  /** The countdown, e.g. "you will be signed out in 12 seconds". */
  body: (secondsLeft: number) => string;
  staySignedIn: string;
  signOutNow: string;
}

/** The surface's own words for its session screens (already translated). */
export interface SessionTexts {
  title: string;
  signInTitle: string;
  /** The title once signed out (idle, expired, by you); the sign-in title when not given. */
  signedOutTitle?: string;
  signInBody: string;
  signIn: string;
  signedOut: Record<SignedOutReason, string>;
  /** Explains why the sign-in callback refused, from its error code. */
  signInError: (code: SignInError) => string;
  /** Given, the surface warns before the inactivity timeout and signs out after it. */
  idleWarning?: IdleWarningTexts;
}

/** The alert that counts down to the inactivity sign-out; only "stay signed in" or "sign out" close it. */
export function IdleWarningDialog({
  secondsLeft,
  texts,
  onStay,
  onSignOut,
}: {
  secondsLeft: number | null;
  texts: IdleWarningTexts;
  onStay: () => void;
  onSignOut: () => void;
}) {
  return (
    <ConfirmDialog
      alert
      open={secondsLeft !== null}
      title={texts.title}
      confirm={texts.staySignedIn}
      dismiss={texts.signOutNow}
      onConfirm={onStay}
      onDismiss={onSignOut}
      testId="idle-warning"
    >
      {texts.body(secondsLeft ?? 0)}
    </ConfirmDialog>
  );
}

/** Mirrors the server's idle and absolute timeouts in the page while signed in. */
function SessionTimeouts({
  app,
  session,
  texts,
  onSignedOut,
}: {
  app: WebApp;
  session: WebSession;
  texts: IdleWarningTexts;
  onSignedOut: (reason: SignedOutReason) => void;
}) {
  const onTimeout = useCallback(() => {
    void logout(app).finally(() => onSignedOut('idle'));
  }, [app, onSignedOut]);
  // Stable per app, so the idle hook does not restart its timer on every render.
  const keepAlive = useCallback(() => keepSessionAlive(app), [app]);
  const { warningSecondsLeft, staySignedIn } = useIdleSignOut({
    idleTimeoutSeconds: session.idleTimeoutSeconds,
    keepAlive,
    onTimeout,
    idleExpiresAt: session.idleExpiresAt,
  });

  // The session also ends at its absolute expiry, activity or not.
  useEffect(() => {
    const left = Date.parse(session.expiresAt) - Date.now();
    if (!Number.isFinite(left)) return;
    // setTimeout takes at most 2^31-1 ms; a longer session is checked again on the next load anyway.
    const timer = window.setTimeout(() => onSignedOut('expired'), Math.max(0, Math.min(left, 2_147_000_000)));
    return () => window.clearTimeout(timer);
  }, [session.expiresAt, onSignedOut]);

  return (
    <IdleWarningDialog
      secondsLeft={warningSecondsLeft}
      texts={texts}
      onStay={staySignedIn}
      onSignOut={onTimeout}
    />
  );
}

/**
 * The frame of a signed-in surface (portal, operator console): the brand bar with the language
 * switch, the user and sign-out, and one screen per session state — loading, failed, signed out
 * (with why, and a refused sign-in's reason) — else the surface's own content. The test ids are
 * `<app>-signed-out`, `<app>-sign-in`, `<app>-sign-in-error`, `<app>-user` and `<app>-sign-out`.
 */
export function SessionShell<S extends WebSession>({
  session: { app, state, signInError, signedOut, signOut },
  texts,
  userDetail,
  children,
}: {
  session: WebSessionHandle<S>;
  texts: SessionTexts;
  /** A second line under the user's name in the brand bar (the portal shows the organisation). */
  userDetail?: (session: S) => string;
  children: (session: S) => ReactNode;
}) {
  const { t } = useTranslation();
  const styles = useStyles();

  let content: ReactNode;
  switch (state.kind) {
    case 'loading':
      content = <StatusScreen busy title={t('common.loading')} />;
      break;
    case 'error':
      content = (
        <StatusScreen
          icon={<ErrorCircleRegular />}
          title={t('common.unexpectedError')}
          actions={<Button onClick={() => window.location.reload()}>{t('common.retry')}</Button>}
        >
          {state.message}
        </StatusScreen>
      );
      break;
    case 'signed-out':
      content = (
        <StatusScreen
          icon={<LockClosedRegular />}
          title={state.reason ? (texts.signedOutTitle ?? texts.signInTitle) : texts.signInTitle}
          testId={`${app}-signed-out`}
          actions={
            <Button appearance="primary" as="a" href={loginUrl(app)} data-testid={`${app}-sign-in`}>
              {texts.signIn}
            </Button>
          }
        >
          {signInError && !state.reason ? (
            <ErrorBar testId={`${app}-sign-in-error`}>{texts.signInError(signInError)}</ErrorBar>
          ) : null}
          {state.reason ? texts.signedOut[state.reason] : texts.signInBody}
        </StatusScreen>
      );
      break;
    case 'signed-in':
      content = children(state.session);
      break;
  }

  return (
    <div className={styles.shell}>
      <AppHeader title={texts.title}>
        <LanguageSwitcher />
        {state.kind === 'signed-in' ? (
          <>
            <HeaderUser
              name={state.session.user.displayName}
              detail={userDetail?.(state.session)}
              testId={`${app}-user`}
            />
            <HeaderSignOutButton label={t('common.signOut')} onClick={signOut} testId={`${app}-sign-out`} />
          </>
        ) : null}
      </AppHeader>
      {content}
      {state.kind === 'signed-in' && texts.idleWarning ? (
        <SessionTimeouts
          app={app}
          session={state.session}
          texts={texts.idleWarning}
          onSignedOut={signedOut}
        />
      ) : null}
    </div>
  );
}
