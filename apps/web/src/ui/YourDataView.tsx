import { Button, Caption1, makeStyles, Text, tokens } from '@fluentui/react-components';
import type { ErasureResponse, MyRights } from '@mailissa/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiFetch, errorMessage } from './api-client.js';
import { ErrorBar, LoadState, useLoad } from './data-view.js';
import { Section, useFormat } from './layout.js';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/**
 * "Your data" for a signed-in Microsoft 365 user, in the add-in (`/api/me`, bearer) and the portal
 * (`/portal/api/me`, cookie): download, objection to the usage log, erasure. Downloads go through
 * fetch so the add-in's bearer token is sent; the result is handed to the browser as a file.
 */
export function YourDataView({
  base,
  accessToken,
  onError,
}: {
  base: '/api/me' | '/portal/api/me';
  accessToken?: () => Promise<string>;
  onError: (error: unknown) => void;
}) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const styles = useStyles();
  const lang = i18n.language === 'de' ? 'de' : 'en';
  const [problem, setProblem] = useState<string | null>(null);
  const [erased, setErased] = useState<ErasureResponse | null>(null);
  const options = async () => (accessToken ? { accessToken: await accessToken() } : {});
  const headers = async (): Promise<Record<string, string>> =>
    accessToken ? { authorization: `Bearer ${await accessToken()}` } : { 'x-requested-with': 'mailissa' };
  const loaded = useLoad(async () => apiFetch(`${base}/rights`, 'myRightsSchema', await options()), onError);

  const run = (work: () => Promise<unknown>) => {
    setProblem(null);
    work().then(loaded.reload, (cause: unknown) => {
      setProblem(errorMessage(cause));
      onError(cause);
    });
  };

  const download = (path: string, filename: string) =>
    run(async () => {
      const response = await fetch(path, { headers: await headers(), credentials: 'same-origin' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      link.click();
      URL.revokeObjectURL(url);
    });

  if (erased) {
    return (
      <Section title={t('rights.yourData')} labelId="your-data-title">
        <Text data-testid="your-data-deleted">{t('rights.deleted')}</Text>
        {erased.outcomes
          .filter((outcome) => outcome.action !== 'erased')
          .map((outcome) => (
            <Caption1 key={outcome.table}>
              {t('rights.kept', { table: outcome.table, reason: outcome.reason?.[lang] ?? '' })}
            </Caption1>
          ))}
      </Section>
    );
  }

  return (
    <Section title={t('rights.yourData')} labelId="your-data-title">
      {problem ? <ErrorBar>{t('rights.failed', { message: problem })}</ErrorBar> : null}
      <LoadState loaded={loaded} loadFailed={(message) => t('rights.failed', { message })}>
        {(rights: MyRights) => {
          const objection = rights.objections.find((entry) => entry.processing === 'usage_log');
          return (
            <div className={styles.stack} data-testid="your-data">
              <Text>{t('rights.intro')}</Text>
              <div className={styles.row}>
                <Button onClick={() => download(`${base}/data`, 'mailissa-my-data.json')}>
                  {t('rights.downloadJson')}
                </Button>
                <Button onClick={() => download(`${base}/data.html?lang=${lang}`, 'mailissa-my-data.html')}>
                  {t('rights.openReadable')}
                </Button>
              </div>
              <Caption1>
                {t('rights.identityNote', { name: rights.displayName, email: rights.email })}
              </Caption1>
              <div className={styles.row}>
                <Text>{t('rights.usageLog')}</Text>
                {objection ? (
                  <>
                    <Caption1>
                      {t('rights.objected', { when: format.dateTime(objection.recordedAt) })}
                    </Caption1>
                    <Button
                      size="small"
                      onClick={() =>
                        run(async () =>
                          apiFetch(`${base}/objections/usage_log`, null, {
                            method: 'DELETE',
                            ...(await options()),
                            headers: await headers(),
                          }),
                        )
                      }
                    >
                      {t('rights.withdraw')}
                    </Button>
                  </>
                ) : (
                  <Button
                    size="small"
                    onClick={() =>
                      run(async () =>
                        apiFetch(`${base}/objections`, null, {
                          method: 'POST',
                          body: { processing: 'usage_log', kind: 'objection' },
                          ...(await options()),
                          headers: await headers(),
                        }),
                      )
                    }
                  >
                    {t('rights.object')}
                  </Button>
                )}
              </div>
              <Text weight="semibold">{t('rights.deleteTitle')}</Text>
              <Caption1>{t('rights.deleteBody')}</Caption1>
              <div className={styles.row}>
                <Button
                  appearance="primary"
                  data-testid="delete-my-data"
                  onClick={() => {
                    if (!window.confirm(t('rights.deleteConfirm'))) return;
                    run(async () => {
                      setErased(
                        await apiFetch(`${base}/data`, 'erasureResponseSchema', {
                          method: 'DELETE',
                          query: { lang },
                          ...(await options()),
                          headers: await headers(),
                        }),
                      );
                    });
                  }}
                >
                  {t('rights.deleteNow')}
                </Button>
              </div>
              <Caption1>{t('rights.complain')}</Caption1>
            </div>
          );
        }}
      </LoadState>
    </Section>
  );
}
