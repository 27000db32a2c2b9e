import { Button, Field, makeStyles, SearchBox, Text, tokens } from '@fluentui/react-components';
import { ArrowUpRegular, FolderRegular, GlobeRegular, LibraryRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { ErrorBar } from '../../ui/data-view.js';
import { LoadingSpinner } from '../../ui/loading-spinner';
import { fetchDrives, fetchFolders, searchSites } from './targets-api.js';

const useStyles = makeStyles({
  picker: {
    display: 'grid',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  list: { listStyleType: 'none', margin: 0, padding: 0, maxHeight: '12rem', overflowY: 'auto' },
  item: { justifyContent: 'flex-start', width: '100%' },
});

type Step =
  | { kind: 'sites' }
  | { kind: 'drives'; siteId: string; siteName: string }
  | { kind: 'folders'; driveId: string; driveName: string; path: string };

/**
 * Sites → document libraries → folders, browsed through Graph by the server: the administrator
 * clicks, nobody types a drive id. Calls `onChoose` with the library and folder path.
 */
export function SharePointPicker({
  onChoose,
}: {
  onChoose: (choice: { driveId: string; folderPath: string; label: string }) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [step, setStep] = useState<Step>({ kind: 'sites' });
  const [search, setSearch] = useState('');
  const [items, setItems] = useState<Array<{ id: string; name: string; path?: string }> | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setItems(null);
    setFailure(null);
    const load = async () => {
      if (step.kind === 'sites') {
        return (await searchSites(search)).map((site) => ({ id: site.id, name: site.displayName }));
      }
      if (step.kind === 'drives')
        return (await fetchDrives(step.siteId)).map((d) => ({ id: d.id, name: d.name }));
      return fetchFolders(step.driveId, step.path);
    };
    const timer = setTimeout(
      () =>
        void load().then(
          (list) => !cancelled && setItems(list),
          (error: unknown) => !cancelled && setFailure(errorMessage(error)),
        ),
      step.kind === 'sites' ? 250 : 0,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [step, search]);

  const heading =
    step.kind === 'sites'
      ? t('targets.picker.sites')
      : step.kind === 'drives'
        ? `${t('targets.picker.libraries')} · ${step.siteName}`
        : `${t('targets.picker.folders')} · ${step.driveName}${step.path ? ` / ${step.path}` : ''}`;

  return (
    <section className={styles.picker} aria-label={t('targets.picker.title')} data-testid="sharepoint-picker">
      <Text weight="semibold">{heading}</Text>
      {step.kind === 'sites' ? (
        <Field label={t('targets.picker.searchSites')}>
          <SearchBox value={search} onChange={(_e, d) => setSearch(d.value)} />
        </Field>
      ) : (
        <Button
          icon={<ArrowUpRegular />}
          appearance="subtle"
          onClick={() => {
            if (step.kind === 'drives') setStep({ kind: 'sites' });
            else if (step.path) {
              setStep({ ...step, path: step.path.split('/').slice(0, -1).join('/') });
            } else setStep({ kind: 'sites' });
          }}
        >
          {t('targets.picker.up')}
        </Button>
      )}
      {failure ? <ErrorBar>{t('targets.failed', { message: failure })}</ErrorBar> : null}
      {items === null && !failure ? <LoadingSpinner size="tiny" /> : null}
      {items?.length === 0 && step.kind === 'folders' ? <Text>{t('targets.picker.noFolders')}</Text> : null}
      <ul className={styles.list}>
        {items?.map((item) => (
          <li key={item.id}>
            <Button
              className={styles.item}
              appearance="subtle"
              icon={
                step.kind === 'sites' ? (
                  <GlobeRegular />
                ) : step.kind === 'drives' ? (
                  <LibraryRegular />
                ) : (
                  <FolderRegular />
                )
              }
              onClick={() => {
                if (step.kind === 'sites') setStep({ kind: 'drives', siteId: item.id, siteName: item.name });
                else if (step.kind === 'drives')
                  setStep({ kind: 'folders', driveId: item.id, driveName: item.name, path: '' });
                else setStep({ ...step, path: item.path ?? item.name });
              }}
            >
              {item.name}
            </Button>
          </li>
        ))}
      </ul>
      {step.kind === 'folders' ? (
        <Button
          appearance="primary"
          data-testid="picker-choose"
          onClick={() =>
            onChoose({
              driveId: step.driveId,
              folderPath: step.path,
              label: `${step.driveName}${step.path ? ` / ${step.path}` : ''}`,
            })
          }
        >
          {t('targets.picker.choose')}
        </Button>
      ) : null}
    </section>
  );
}
