import { Button, Caption1, makeStyles, Text, tokens } from '@fluentui/react-components';
import { BuildingRegular } from '@fluentui/react-icons';
import { type ClientConfig, fetchClientConfig } from '@mailissa/web/addin/addin-api.js';
import { errorMessage } from '@mailissa/web/ui/api-client.js';
import { ErrorBar } from '@mailissa/web/ui/data-view.js';
import {
  AppHeader,
  HeaderSignOutButton,
  HeaderUser,
  LanguageSwitcher,
  StatusScreen,
} from '@mailissa/web/ui/layout.js';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  completeSignIn,
  type EmulatorSession,
  type EmulatorTenant,
  listTenants,
  loadSession,
  signOut,
  startSignIn,
} from './emulator-auth.js';
import { Mailbox } from './Mailbox.js';

const useStyles = makeStyles({
  shell: { display: 'flex', flexDirection: 'column', height: '100vh' },
  tenants: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    width: '100%',
    maxWidth: '360px',
    margin: '0 auto',
  },
  tenant: { justifyContent: 'flex-start', minHeight: '48px' },
});

type Phase =
  | { kind: 'starting' }
  | { kind: 'choose-tenant'; tenants: EmulatorTenant[]; error?: string }
  | { kind: 'signed-in'; session: EmulatorSession }
  | { kind: 'error'; message: string };

/** The emulated Outlook on the web: sign-in to a demo tenant, then the mailbox with the add-in. */
export function EmulatorApp() {
  const { t } = useTranslation();
  const styles = useStyles();
  const [config, setConfig] = useState<ClientConfig | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });

  const showTenants = useCallback(async (error?: string) => {
    try {
      setPhase({ kind: 'choose-tenant', tenants: await listTenants(), error });
    } catch (cause) {
      setPhase({ kind: 'error', message: errorMessage(cause) });
    }
  }, []);

  useEffect(() => {
    void (async () => {
      try {
        setConfig(await fetchClientConfig());
        const fresh = await completeSignIn();
        const session = fresh ?? loadSession();
        if (session) setPhase({ kind: 'signed-in', session });
        else await showTenants();
      } catch (error) {
        await showTenants(errorMessage(error));
      }
    })();
  }, [showTenants]);

  const header = (
    <AppHeader title={t('emulator.title')}>
      <LanguageSwitcher />
      {phase.kind === 'signed-in' ? (
        <>
          <HeaderUser
            name={phase.session.claims.name}
            detail={phase.session.tenant.name}
            testId="emulator-user"
          />
          <HeaderSignOutButton
            iconOnly
            label={t('emulator.signOut')}
            onClick={() => {
              signOut();
              void showTenants();
            }}
          />
        </>
      ) : null}
    </AppHeader>
  );

  let content: React.ReactNode;
  switch (phase.kind) {
    case 'starting':
      content = <StatusScreen busy title={t('emulator.signingIn')} />;
      break;
    case 'error':
      content = <StatusScreen title={t('common.unexpectedError')}>{phase.message}</StatusScreen>;
      break;
    case 'choose-tenant':
      content = (
        <StatusScreen icon={<BuildingRegular />} title={t('emulator.chooseTenant')} testId="emulator-tenants">
          <p>{t('emulator.chooseTenantBody')}</p>
          {phase.error ? <ErrorBar>{t('emulator.signInFailed', { message: phase.error })}</ErrorBar> : null}
          <div className={styles.tenants}>
            {phase.tenants.length === 0 ? <Text>{t('emulator.noTenants')}</Text> : null}
            {phase.tenants.map((tenant) => (
              <Button
                key={tenant.id}
                className={styles.tenant}
                icon={<BuildingRegular />}
                disabled={!config}
                data-testid="emulator-tenant"
                data-tenant-id={tenant.id}
                onClick={() => {
                  if (!config) return;
                  startSignIn(tenant, config.clientId).catch((error: unknown) =>
                    showTenants(errorMessage(error)),
                  );
                }}
              >
                {t('emulator.signInTo', { tenant: tenant.name })}
              </Button>
            ))}
          </div>
          <Caption1>{t('emulator.demoNotice')}</Caption1>
        </StatusScreen>
      );
      break;
    case 'signed-in':
      content = config ? <Mailbox session={phase.session} config={config} /> : null;
      break;
  }

  return (
    <div className={styles.shell}>
      {header}
      {content}
    </div>
  );
}
