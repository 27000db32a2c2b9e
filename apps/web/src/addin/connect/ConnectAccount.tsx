import {
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { TargetAccount } from '@mailissa/contracts';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadingSpinner } from '../../ui/loading-spinner';
import type { AddinApi, Target } from '../addin-api.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});

/**
 * "Connect your <system> account": shown when a target needs the user's own credentials and none are
 * stored (or the system rejected them). The server tests them with the system before it keeps them,
 * so a wrong password is answered here, not by a failed transfer later.
 */
export function ConnectAccount({
  api,
  target,
  onConnected,
  onCancel,
}: {
  api: AddinApi;
  target: Target;
  onConnected: () => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const language = i18n.language === 'de' ? 'de' : 'en';
  const [account, setAccount] = useState<TargetAccount | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    api.account(target.id, language).then(
      (loaded) => live && setAccount(loaded),
      (failure: unknown) => live && setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => {
      live = false;
    };
  }, [api, target.id, language]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.connectAccount(target.id, values);
      onConnected();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <MessageBar intent="info" layout="multiline" data-testid="connect-account">
      <MessageBarBody>
        <MessageBarTitle>
          {t('addin.connect.title', { system: account?.system ?? target.title })}
        </MessageBarTitle>
        <Caption1>{t('addin.connect.body', { target: target.title })}</Caption1>
        {account === null && !error ? <LoadingSpinner size="tiny" /> : null}
        {account ? (
          <form className={styles.form} onSubmit={(event) => void submit(event)}>
            {account.fields.map((field) => (
              <Field
                key={field.key}
                label={field.label[language]}
                required={field.required}
                hint={field.help?.[language]}
              >
                <Input
                  name={field.key}
                  type={field.kind === 'secret' ? 'password' : 'text'}
                  autoComplete={field.kind === 'secret' ? 'current-password' : 'username'}
                  value={values[field.key] ?? ''}
                  onChange={(_event, data) =>
                    setValues((current) => ({ ...current, [field.key]: data.value }))
                  }
                />
              </Field>
            ))}
            {error ? (
              <Caption1 role="alert" data-testid="connect-error">
                {t('addin.connect.failed', { message: error })}
              </Caption1>
            ) : null}
            <div className={styles.actions}>
              <Button type="submit" appearance="primary" disabled={busy} data-testid="connect-submit">
                {busy ? t('addin.connect.testing') : t('addin.connect.submit')}
              </Button>
              <Button type="button" onClick={onCancel} disabled={busy}>
                {t('addin.connect.cancel')}
              </Button>
            </div>
          </form>
        ) : null}
        {account === null && error ? <Caption1 role="alert">{error}</Caption1> : null}
      </MessageBarBody>
    </MessageBar>
  );
}
