import { Button } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { apiFetch } from '../ui/api-client.js';

const CSRF = { 'x-requested-with': 'mailissa' };

/**
 * A user administrator's export and erasure of one user's data, e.g. a departed employee
 * (`/portal/api/users/:id/data`, docs/privacy-rights.md).
 */
export function UserDataActions({
  user,
  onDone,
  onError,
}: {
  user: { id: string; displayName: string };
  onDone: () => void;
  onError: (error: unknown) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'de' ? 'de' : 'en';
  const path = `/portal/api/users/${encodeURIComponent(user.id)}/data`;
  const exportData = () =>
    apiFetch(path, 'subjectExportSchema', { query: { lang } }).then((data) => {
      const url = URL.createObjectURL(
        new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = `mailissa-user-${user.id}.json`;
      link.click();
      URL.revokeObjectURL(url);
    }, onError);
  const erase = () => {
    if (!window.confirm(t('rights.eraseUserConfirm', { name: user.displayName }))) return;
    apiFetch(path, 'erasureResponseSchema', { method: 'DELETE', query: { lang }, headers: CSRF }).then(
      onDone,
      onError,
    );
  };
  return (
    <span>
      <Button size="small" appearance="subtle" onClick={exportData} data-testid="export-user-data">
        {t('rights.exportUser')}
      </Button>
      <Button size="small" appearance="subtle" onClick={erase} data-testid="erase-user-data">
        {t('rights.eraseUser')}
      </Button>
    </span>
  );
}
