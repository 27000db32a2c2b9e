import { Button, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { DataTable, ErrorBar, LoadState, useLoad } from '../../ui/data-view.js';
import { ConfirmDialog } from '../../ui/dialog.js';
import { Section, useFormat } from '../../ui/layout.js';
import { SigningSecretDialog } from '../targets/SigningSecretDialog.js';
import {
  fetchCredentials,
  renewSigningSecret,
  revokeCredential,
  revokeUserCredentials,
} from '../targets/targets-api.js';

type Revoking = { kind: 'one'; id: string; name: string } | { kind: 'user'; userId: string; name: string };
type Renewing = { targetId: string; title: string };

/**
 * "Manage passwords": who stored credentials for which target and when they were last used, and the
 * secrets the tenant holds for its targets (docs/decisions/147): renewed here as on the Targets tab,
 * never revoked, never shown except once when made.
 */
export function PasswordsView({ onError }: { onError: (error: unknown) => void }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const loaded = useLoad(fetchCredentials, onError);
  const [revoking, setRevoking] = useState<Revoking | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [renewing, setRenewing] = useState<Renewing | null>(null);
  const [shownSecret, setShownSecret] = useState<{ title: string; secret: string } | null>(null);
  const lang = i18n.language === 'de' ? 'de' : 'en';

  async function revoke(which: Revoking) {
    setFailure(null);
    try {
      if (which.kind === 'one') await revokeCredential(which.id);
      else await revokeUserCredentials(which.userId);
      loaded.reload();
    } catch (error) {
      setFailure(errorMessage(error));
      onError(error);
    }
  }

  async function renew(which: Renewing) {
    setFailure(null);
    try {
      setShownSecret({ title: which.title, secret: await renewSigningSecret(which.targetId) });
      loaded.reload();
    } catch (error) {
      setFailure(errorMessage(error));
      onError(error);
    }
  }

  return (
    <>
      <Section title={t('passwords.title')} labelId="passwords-title">
        <Text as="p">{t('passwords.intro')}</Text>
        {failure ? <ErrorBar>{t('targets.failed', { message: failure })}</ErrorBar> : null}
        <LoadState loaded={loaded} loadFailed={(message) => t('portal.loadFailed', { message })}>
          {({ credentials }) => (
            <DataTable
              rows={credentials}
              rowKey={(row) => row.id}
              labelId="passwords-title"
              empty={t('passwords.empty')}
              testId="passwords-table"
              columns={[
                {
                  id: 'user',
                  header: t('passwords.user'),
                  cell: (row) => `${row.user.displayName} (${row.user.email})`,
                },
                { id: 'target', header: t('passwords.target'), cell: (row) => row.target.title[lang] },
                {
                  id: 'stored',
                  header: t('passwords.stored'),
                  cell: (row) => format.dateTime(row.updatedAt),
                },
                {
                  id: 'used',
                  header: t('passwords.lastUsed'),
                  cell: (row) => (row.lastUsedAt ? format.dateTime(row.lastUsedAt) : t('passwords.never')),
                },
                {
                  id: 'actions',
                  header: '',
                  cell: (row) => (
                    <>
                      <Button
                        size="small"
                        onClick={() => setRevoking({ kind: 'one', id: row.id, name: row.user.displayName })}
                      >
                        {t('passwords.revoke')}
                      </Button>{' '}
                      <Button
                        size="small"
                        appearance="subtle"
                        onClick={() =>
                          setRevoking({ kind: 'user', userId: row.user.id, name: row.user.displayName })
                        }
                      >
                        {t('passwords.revokeAll', { name: row.user.displayName })}
                      </Button>
                    </>
                  ),
                },
              ]}
            />
          )}
        </LoadState>
        <ConfirmDialog
          open={revoking !== null}
          title={t('passwords.revokeTitle')}
          confirm={t('passwords.revoke')}
          dismiss={t('targets.cancel')}
          onConfirm={() => {
            const which = revoking;
            setRevoking(null);
            if (which) void revoke(which);
          }}
          onDismiss={() => setRevoking(null)}
        >
          {t('passwords.revokeBody', { name: revoking?.name ?? '' })}
        </ConfirmDialog>
      </Section>
      <Section title={t('passwords.secretsTitle')} labelId="target-secrets-title">
        <Text as="p">{t('passwords.secretsIntro')}</Text>
        <LoadState loaded={loaded} loadFailed={(message) => t('portal.loadFailed', { message })}>
          {({ targetSecrets }) => (
            <DataTable
              rows={targetSecrets}
              rowKey={(row) => row.target.id}
              labelId="target-secrets-title"
              empty={t('passwords.secretsEmpty')}
              testId="target-secrets-table"
              columns={[
                { id: 'target', header: t('passwords.target'), cell: (row) => row.target.title[lang] },
                { id: 'kind', header: t('passwords.secretKind'), cell: () => t('passwords.signingSecret') },
                {
                  id: 'renewed',
                  header: t('passwords.renewed'),
                  cell: (row) => format.dateTime(row.updatedAt),
                },
                {
                  id: 'used',
                  header: t('passwords.lastUsed'),
                  cell: (row) => (row.lastUsedAt ? format.dateTime(row.lastUsedAt) : t('passwords.never')),
                },
                {
                  id: 'actions',
                  header: '',
                  cell: (row) => (
                    <Button
                      size="small"
                      onClick={() => setRenewing({ targetId: row.target.id, title: row.target.title[lang] })}
                      data-testid="renew-target-secret"
                    >
                      {t('targets.secret.renew')}
                    </Button>
                  ),
                },
              ]}
            />
          )}
        </LoadState>
        <ConfirmDialog
          open={renewing !== null}
          title={t('targets.secret.renewTitle')}
          confirm={t('targets.secret.renew')}
          dismiss={t('targets.cancel')}
          onConfirm={() => {
            const which = renewing;
            setRenewing(null);
            if (which) void renew(which);
          }}
          onDismiss={() => setRenewing(null)}
          testId="renew-secret-confirm"
        >
          {t('targets.secret.renewBody', { title: renewing?.title ?? '' })}
        </ConfirmDialog>
        <SigningSecretDialog shown={shownSecret} onClose={() => setShownSecret(null)} />
      </Section>
    </>
  );
}
