import {
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadingSpinner } from '../../ui/loading-spinner';
import type { AddinApi } from '../addin-api.js';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  folders: { margin: 0, paddingLeft: 0, listStyle: 'none' },
});

/**
 * A subfolder below the target's folder: typed (created if missing), or browsed and created here.
 * For one mail and for several alike; only shown where the target has folders.
 */
export function SubfolderPicker({
  api,
  targetId,
  value,
  onChange,
  onKeyDown,
}: {
  api: Pick<AddinApi, 'folders' | 'createFolder'>;
  targetId: string;
  value: string;
  onChange: (subfolder: string) => void;
  /** Enter in the field sends the form it is part of. */
  onKeyDown: (event: React.KeyboardEvent) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [browsing, setBrowsing] = useState(false);
  const [folders, setFolders] = useState<{ name: string }[] | null>(null);
  const [newFolder, setNewFolder] = useState('');
  const [folderError, setFolderError] = useState<string | null>(null);

  useEffect(() => {
    if (!browsing) return;
    let stale = false;
    setFolders(null);
    api
      .folders(targetId, value)
      .then((list) => {
        if (!stale) setFolders(list);
      })
      .catch((error: unknown) => {
        if (!stale) setFolderError(error instanceof Error ? error.message : String(error));
      });
    return () => {
      stale = true;
    };
  }, [api, targetId, value, browsing]);

  const join = (name: string) => (value ? `${value}/${name}` : name);
  const createFolder = () => {
    if (newFolder.trim() === '') return;
    const path = join(newFolder.trim());
    api
      .createFolder(targetId, path)
      .then(() => {
        setNewFolder('');
        onChange(path);
      })
      .catch((error: unknown) => setFolderError(error instanceof Error ? error.message : String(error)));
  };

  return (
    <>
      <Field label={t('transfer.subfolder')} hint={t('transfer.subfolderHint')}>
        <Input
          value={value}
          onChange={(_e, data) => onChange(data.value)}
          onKeyDown={onKeyDown}
          data-testid="option-subfolder"
        />
      </Field>
      <div className={styles.row}>
        <Button size="small" onClick={() => setBrowsing(!browsing)} aria-expanded={browsing}>
          {t('transfer.browse')}
        </Button>
        {browsing && value ? (
          <Button size="small" onClick={() => onChange(value.split('/').slice(0, -1).join('/'))}>
            {t('transfer.up')}
          </Button>
        ) : null}
      </div>
      {browsing ? (
        <>
          {folders === null ? <LoadingSpinner size="extra-tiny" /> : null}
          {folders?.length === 0 ? <Caption1>{t('transfer.noFolders')}</Caption1> : null}
          <ul className={styles.folders}>
            {folders?.map((folder) => (
              <li key={folder.name}>
                <Button size="small" appearance="subtle" onClick={() => onChange(join(folder.name))}>
                  {folder.name}
                </Button>
              </li>
            ))}
          </ul>
          <div className={styles.row}>
            <Input
              size="small"
              aria-label={t('transfer.newFolder')}
              placeholder={t('transfer.newFolder')}
              value={newFolder}
              onChange={(_e, data) => setNewFolder(data.value)}
              onKeyDown={(event) => {
                // Enter here creates the folder; it must not send the form around it.
                if (event.key !== 'Enter') return;
                event.preventDefault();
                createFolder();
              }}
            />
            <Button size="small" disabled={newFolder.trim() === ''} onClick={createFolder}>
              {t('transfer.createFolder')}
            </Button>
          </div>
          {folderError ? (
            <MessageBar intent="error">
              <MessageBarBody>{folderError}</MessageBarBody>
            </MessageBar>
          ) : null}
        </>
      ) : null}
    </>
  );
}
