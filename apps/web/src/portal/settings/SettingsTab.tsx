import {
  Button,
  Checkbox,
  Field,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Select,
  SpinButton,
  tokens,
} from '@fluentui/react-components';
import type { TenantSettings } from '@mailissa/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { LoadState, useLoad } from '../../ui/data-view.js';
import { Section } from '../../ui/layout.js';
import { fetchSettings, saveSettings } from '../admin/admin-api.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '560px' },
  fieldset: {
    border: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  legend: { fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalXS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
});

/**
 * The organisation's settings: automatic licences per module, the portal's inactivity sign-out, the
 * language of new users and how long the audit log keeps entries. User administrators see them;
 * tenant administrators change them.
 */
export function SettingsTab({ canEdit, onError }: { canEdit: boolean; onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const loaded = useLoad(fetchSettings, onError);
  return (
    <Section title={t('admin.settings.title')} labelId="settings-title">
      <LoadState loaded={loaded} loadFailed={(message) => t('portal.loadFailed', { message })}>
        {(settings) => <SettingsForm initial={settings} canEdit={canEdit} onError={onError} />}
      </LoadState>
    </Section>
  );
}

function SettingsForm({
  initial,
  canEdit,
  onError,
}: {
  initial: TenantSettings;
  canEdit: boolean;
  onError: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [draft, setDraft] = useState(initial);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);
  useEffect(() => setDraft(initial), [initial]);

  const number = (value: number | null | undefined, text: string | undefined, fallback: number) => {
    const parsed = value ?? (text === undefined ? Number.NaN : Number.parseInt(text, 10));
    return Number.isFinite(parsed) ? parsed : fallback;
  };

  const submit = async () => {
    setSaving(true);
    setNotice(null);
    try {
      setDraft(await saveSettings(draft));
      setNotice({ intent: 'success', text: t('admin.settings.saved') });
    } catch (error) {
      onError(error);
      setNotice({ intent: 'error', text: t('admin.settings.invalid', { message: errorMessage(error) }) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className={styles.form}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      data-testid="settings-form"
    >
      {canEdit ? null : (
        <MessageBar intent="info">
          <MessageBarBody>{t('admin.settings.readOnly')}</MessageBarBody>
        </MessageBar>
      )}
      <fieldset className={styles.fieldset} disabled={!canEdit}>
        <legend className={styles.legend}>{t('admin.settings.autoAssign')}</legend>
        {(['transfer', 'team'] as const).map((module) => (
          <Checkbox
            key={module}
            label={t('admin.settings.autoAssignModule', { module: t(`portal.licence.${module}`) })}
            checked={draft.autoAssignLicences[module]}
            disabled={!canEdit}
            onChange={(_event, value) =>
              setDraft({
                ...draft,
                autoAssignLicences: { ...draft.autoAssignLicences, [module]: value.checked === true },
              })
            }
            data-testid={`auto-assign-${module}`}
          />
        ))}
      </fieldset>
      <Field label={t('admin.settings.idle')}>
        <SpinButton
          min={3}
          max={60}
          value={draft.portalIdleMinutes}
          disabled={!canEdit}
          onChange={(_event, value) =>
            setDraft({
              ...draft,
              portalIdleMinutes: number(value.value, value.displayValue, draft.portalIdleMinutes),
            })
          }
          data-testid="idle-minutes"
        />
      </Field>
      <Field label={t('admin.settings.language')}>
        <Select
          value={draft.defaultLanguage}
          disabled={!canEdit}
          onChange={(_event, value) =>
            setDraft({ ...draft, defaultLanguage: value.value === 'de' ? 'de' : 'en' })
          }
          data-testid="default-language"
        >
          <option value="en">{t('admin.settings.languages.en')}</option>
          <option value="de">{t('admin.settings.languages.de')}</option>
        </Select>
      </Field>
      <Field label={t('admin.settings.retention')}>
        <SpinButton
          min={30}
          max={3650}
          value={draft.auditRetentionDays}
          disabled={!canEdit}
          onChange={(_event, value) =>
            setDraft({
              ...draft,
              auditRetentionDays: number(value.value, value.displayValue, draft.auditRetentionDays),
            })
          }
          data-testid="retention-days"
        />
      </Field>
      {notice ? (
        <MessageBar intent={notice.intent} data-testid="settings-notice">
          <MessageBarBody>{notice.text}</MessageBarBody>
        </MessageBar>
      ) : null}
      {canEdit ? (
        <div className={styles.actions}>
          <Button type="submit" appearance="primary" disabled={saving} data-testid="save-settings">
            {t('admin.settings.save')}
          </Button>
        </div>
      ) : null}
    </form>
  );
}
