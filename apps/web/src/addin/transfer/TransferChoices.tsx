import {
  Button,
  Caption1,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  ProgressBar,
  Switch,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { DuplicateChoice, PrepareTransferResponse, TransferChoices } from '@mailissa/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes, formatRelativeDay } from '../../ui/layout.js';
import { LoadingSpinner } from '../../ui/loading-spinner';
import type { AddinApi, Transfer } from '../addin-api.js';
import { ExistingRecordPicker, type LinkChoice } from './ExistingRecordPicker.js';

const useStyles = makeStyles({
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
  },
  fieldset: { border: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  folders: { margin: 0, paddingLeft: 0, listStyle: 'none' },
});

/**
 * The choices before sending (docs/product.md): the `.eml` or not, which attachments (inline images
 * off by default), the file name from the target's template, a subfolder below the target's folder
 * where the target has folders (not for records such as a Jira issue or a Domino document).
 * Every control is a native input in tab order; Enter in a text field sends.
 */
export function TransferOptionsForm({
  api,
  targetId,
  targetTitle,
  prepared,
  onSend,
  onBack,
  onNeedsAccount,
}: {
  api: AddinApi;
  targetId: string;
  targetTitle: string;
  prepared: PrepareTransferResponse;
  onSend: (choices: TransferChoices) => void;
  onBack: () => void;
  /** The target's system needs the user's own account, which is missing or was rejected. */
  onNeedsAccount: () => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const [includeMail, setIncludeMail] = useState(true);
  const [chosen, setChosen] = useState(
    () => new Set(prepared.attachments.filter((a) => a.selected).map((a) => a.id)),
  );
  const [fileName, setFileName] = useState(prepared.fileName);
  const [subfolder, setSubfolder] = useState('');
  const [browsing, setBrowsing] = useState(false);
  const [folders, setFolders] = useState<{ name: string }[] | null>(null);
  const [newFolder, setNewFolder] = useState('');
  const [folderError, setFolderError] = useState<string | null>(null);
  const [link, setLink] = useState<LinkChoice>({ mode: 'new' });

  useEffect(() => {
    if (!browsing) return;
    let stale = false;
    setFolders(null);
    api
      .folders(targetId, subfolder)
      .then((list) => {
        if (!stale) setFolders(list);
      })
      .catch((error: unknown) => {
        if (!stale) setFolderError(error instanceof Error ? error.message : String(error));
      });
    return () => {
      stale = true;
    };
  }, [api, targetId, subfolder, browsing]);

  const nothing = !includeMail && chosen.size === 0;
  const noRecord = link.mode === 'existing' && link.linkTo === null;
  const send = () => {
    if (nothing || noRecord) return;
    onSend({
      includeMail,
      attachmentIds: [...chosen],
      ...(includeMail && fileName.trim() ? { fileName: fileName.trim() } : {}),
      ...(subfolder.trim() ? { subfolder: subfolder.trim() } : {}),
      ...(link.mode === 'existing' && link.linkTo ? { linkTo: link.linkTo } : {}),
    });
  };
  const submitOnEnter = (event: React.KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      send();
    }
  };
  const join = (name: string) => (subfolder ? `${subfolder}/${name}` : name);

  return (
    <form
      className={styles.form}
      aria-label={t('transfer.optionsTitle', { target: targetTitle })}
      data-testid="transfer-options"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <Text weight="semibold">{t('transfer.optionsTitle', { target: targetTitle })}</Text>
      {prepared.linkExisting ? (
        <ExistingRecordPicker
          api={api}
          targetId={targetId}
          choice={link}
          onChange={setLink}
          onNeedsAccount={onNeedsAccount}
        />
      ) : null}
      <Switch
        checked={includeMail}
        label={t('transfer.mailAsEml')}
        onChange={(_e, data) => setIncludeMail(data.checked)}
        data-testid="option-eml"
      />
      {includeMail ? (
        <Field label={t('transfer.fileName')} hint={t('transfer.fileNameHint')}>
          <Input
            value={fileName}
            onChange={(_e, data) => setFileName(data.value)}
            onKeyDown={submitOnEnter}
            data-testid="option-file-name"
          />
        </Field>
      ) : null}
      {prepared.attachments.length > 0 ? (
        <fieldset className={styles.fieldset}>
          <legend>
            <Caption1>{t('transfer.attachmentsLegend')}</Caption1>
          </legend>
          {prepared.attachments.map((attachment) => (
            <Checkbox
              key={attachment.id}
              checked={chosen.has(attachment.id)}
              onChange={(_e, data) => {
                const next = new Set(chosen);
                if (data.checked) next.add(attachment.id);
                else next.delete(attachment.id);
                setChosen(next);
              }}
              label={`${attachment.name} (${formatBytes(attachment.size, i18n.language)}${
                attachment.isInline ? `, ${t('transfer.inline')}` : ''
              })`}
              data-testid="option-attachment"
            />
          ))}
        </fieldset>
      ) : null}
      {prepared.folders ? (
        <Field label={t('transfer.subfolder')} hint={t('transfer.subfolderHint')}>
          <Input
            value={subfolder}
            onChange={(_e, data) => setSubfolder(data.value)}
            onKeyDown={submitOnEnter}
            data-testid="option-subfolder"
          />
        </Field>
      ) : null}
      {prepared.folders ? (
        <div className={styles.row}>
          <Button size="small" onClick={() => setBrowsing(!browsing)} aria-expanded={browsing}>
            {t('transfer.browse')}
          </Button>
          {browsing && subfolder ? (
            <Button size="small" onClick={() => setSubfolder(subfolder.split('/').slice(0, -1).join('/'))}>
              {t('transfer.up')}
            </Button>
          ) : null}
        </div>
      ) : null}
      {browsing ? (
        <>
          {folders === null ? <LoadingSpinner size="extra-tiny" /> : null}
          {folders?.length === 0 ? <Caption1>{t('transfer.noFolders')}</Caption1> : null}
          <ul className={styles.folders}>
            {folders?.map((folder) => (
              <li key={folder.name}>
                <Button size="small" appearance="subtle" onClick={() => setSubfolder(join(folder.name))}>
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
            />
            <Button
              size="small"
              disabled={newFolder.trim() === ''}
              onClick={() => {
                const path = join(newFolder.trim());
                api
                  .createFolder(targetId, path)
                  .then(() => {
                    setNewFolder('');
                    setSubfolder(path);
                  })
                  .catch((error: unknown) =>
                    setFolderError(error instanceof Error ? error.message : String(error)),
                  );
              }}
            >
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
      {nothing ? <Text role="alert">{t('transfer.nothingChosen')}</Text> : null}
      {noRecord ? <Text role="alert">{t('transfer.recordRequired')}</Text> : null}
      <div className={styles.row}>
        <Button appearance="primary" type="submit" disabled={nothing || noRecord} data-testid="option-send">
          {t('transfer.send')}
        </Button>
        <Button onClick={onBack}>{t('transfer.cancelOptions')}</Button>
      </div>
    </form>
  );
}

/** Asked when this mail already went to this target: keep both, replace or skip, maybe remembered. */
export function DuplicateQuestion({
  targetTitle,
  duplicate,
  onChoose,
}: {
  targetTitle: string;
  duplicate: PrepareTransferResponse['duplicates'][number];
  onChoose: (choice: DuplicateChoice, remember: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const [remember, setRemember] = useState(false);
  const words = { today: t('addin.today'), yesterday: t('addin.yesterday') };
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="duplicate-question">
      <MessageBarBody>
        <MessageBarTitle>{t('transfer.duplicateTitle', { target: targetTitle })}</MessageBarTitle>
        {t('transfer.duplicateBody', {
          when: formatRelativeDay(duplicate.createdAt, i18n.language, words),
          who: duplicate.isYou ? t('addin.you') : t('addin.formerUser'),
          files: duplicate.files.join(', '),
        })}
        <Checkbox
          checked={remember}
          onChange={(_e, d) => setRemember(Boolean(d.checked))}
          label={t('transfer.remember')}
        />
      </MessageBarBody>
      <MessageBarActions>
        <Button
          size="small"
          onClick={() => onChoose('keep_both', remember)}
          data-testid="duplicate-keep-both"
        >
          {t('transfer.keepBoth')}
        </Button>
        <Button size="small" onClick={() => onChoose('replace', remember)} data-testid="duplicate-replace">
          {t('transfer.replace')}
        </Button>
        <Button size="small" onClick={() => onChoose('skip', remember)} data-testid="duplicate-skip">
          {t('transfer.skip')}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}

/** Percentage and bytes while a transfer runs, and the buttons to cancel it or retry it. */
export function TransferControls({
  api,
  transfer,
  onChange,
}: {
  api: AddinApi;
  transfer: Transfer;
  onChange: (transfer: Transfer) => void;
}) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const progress = transfer.progress;
  const active = transfer.state === 'queued' || transfer.state === 'running';
  const act = (action: (id: string) => Promise<Transfer>) => {
    setBusy(true);
    action(transfer.id)
      .then(onChange)
      .catch(() => {
        // The status poll shows what happened; a refused cancel (already done) needs no message.
      })
      .finally(() => setBusy(false));
  };
  return (
    <>
      {active && progress?.bytesTotal ? (
        <Field
          validationMessage={t('transfer.progress', {
            done: formatBytes(progress.bytesDone, i18n.language),
            total: formatBytes(progress.bytesTotal, i18n.language),
          })}
          validationState="none"
        >
          <ProgressBar
            value={Math.min(1, progress.bytesDone / progress.bytesTotal)}
            data-testid="transfer-progress"
            aria-valuetext={`${Math.round((100 * progress.bytesDone) / progress.bytesTotal)} %`}
          />
        </Field>
      ) : null}
      {active ? (
        <Button
          size="small"
          disabled={busy || transfer.cancelRequested === true}
          onClick={() => act(api.cancelTransfer)}
          data-testid="transfer-cancel"
        >
          {transfer.cancelRequested ? t('transfer.cancelling') : t('transfer.cancel')}
        </Button>
      ) : null}
      {transfer.state === 'failed' || transfer.state === 'cancelled' ? (
        <Button
          size="small"
          disabled={busy}
          onClick={() => act(api.retryTransfer)}
          data-testid="transfer-retry"
        >
          {t('transfer.retry')}
        </Button>
      ) : null}
    </>
  );
}
