import { Link, makeStyles, Subtitle2, tokens } from '@fluentui/react-components';
import { ShieldPersonRegular } from '@fluentui/react-icons';
import type { AdministratorContact } from '@mailissa/contracts';
import { useTranslation } from 'react-i18next';
import { LoadState, useLoad } from '../../ui/data-view.js';
import { StatusScreen } from '../../ui/layout.js';
import { fetchAdministrators } from './admin-api.js';

const useStyles = makeStyles({
  list: { margin: 0, paddingLeft: 0, listStyle: 'none', textAlign: 'left' },
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, alignSelf: 'stretch' },
});

/**
 * What a signed-in user without an admin role sees: not an error, but who their administrators are,
 * with their e-mail addresses, so they know whom to ask for a licence or a change.
 */
export function AdministratorsPage({ onError }: { onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const loaded = useLoad(fetchAdministrators, onError);
  const people = (title: string, contacts: AdministratorContact[], testId: string) => (
    <div className={styles.group}>
      <Subtitle2 as="h2">{title}</Subtitle2>
      {contacts.length === 0 ? (
        <p>{t('admin.administrators.none')}</p>
      ) : (
        <ul className={styles.list} data-testid={testId}>
          {contacts.map((contact) => (
            <li key={contact.email}>
              {contact.displayName} — <Link href={`mailto:${contact.email}`}>{contact.email}</Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
  return (
    <main>
      <StatusScreen
        icon={<ShieldPersonRegular />}
        title={t('portal.adminsOnlyTitle')}
        testId="portal-admins-only"
      >
        <p>{t('admin.administrators.body')}</p>
        <LoadState loaded={loaded} loadFailed={(message) => t('portal.loadFailed', { message })}>
          {(admins) => (
            <>
              {people(
                t('admin.administrators.userAdministrators'),
                admins.userAdministrators,
                'user-administrators',
              )}
              {people(
                t('admin.administrators.tenantAdministrators'),
                admins.tenantAdministrators,
                'tenant-administrators',
              )}
            </>
          )}
        </LoadState>
      </StatusScreen>
    </main>
  );
}
