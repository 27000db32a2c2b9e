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
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes, formatRelativeDay } from '../../ui/layout.js';
import type { AddinApi, Transfer } from '../addin-api.js';
import { ExistingRecordPicker, type LinkChoice } from './ExistingRecordPicker.js';
import { SubfolderPicker } from './SubfolderPicker.js';

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
  const [link, setLink] = useState<LinkChoice>({ mode: 'new' });

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
  const submitOnEnter = sendOnEnter(send);

  return (
    <OptionsForm
      title={t('transfer.optionsTitle', { target: targetTitle })}
      problem={nothing ? t('transfer.nothingChosen') : noRecord ? t('transfer.recordRequired') : null}
      sendLabel={t('transfer.send')}
      onSend={send}
      onBack={onBack}
      testId="transfer-options"
    >
      {prepared.linkExisting ? (
        <ExistingRecordPicker
          api={api}
          targetId={targetId}
          choice={link}
          onChange={setLink}
          onNeedsAccount={onNeedsAccount}
        />
      ) : null}
      <MailAsEmlSwitch checked={includeMail} onChange={setIncludeMail} />
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
        <SubfolderPicker
          api={api}
          targetId={targetId}
          value={subfolder}
          onChange={setSubfolder}
          onKeyDown={submitOnEnter}
        />
      ) : null}
    </OptionsForm>
  );
}

/**
 * The frame of the choices before sending, for one mail and for several: a form named by its title,
 * the controls, why it cannot be sent (if so) and the send and back buttons. Enter submits.
 */
export function OptionsForm({
  title,
  problem,
  sendLabel,
  onSend,
  onBack,
  testId,
  children,
}: {
  title: string;
  /** Why nothing can be sent as chosen; null when it can. */
  problem: string | null;
  sendLabel: string;
  onSend: () => void;
  onBack: () => void;
  testId: string;
  children: React.ReactNode;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <form
      className={styles.form}
      aria-label={title}
      data-testid={testId}
      onSubmit={(event) => {
        event.preventDefault();
        if (problem === null) onSend();
      }}
    >
      <Text weight="semibold">{title}</Text>
      {children}
      {problem ? <Text role="alert">{problem}</Text> : null}
      <div className={styles.row}>
        <Button appearance="primary" type="submit" disabled={problem !== null} data-testid="option-send">
          {sendLabel}
        </Button>
        <Button onClick={onBack}>{t('transfer.cancelOptions')}</Button>
      </div>
    </form>
  );
}

/** A text field's key handler: Enter sends the form. */
export function sendOnEnter(send: () => void) {
  return (event: React.KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      send();
    }
  };
}

/** Whether the mail itself goes as `.eml`: for one mail and for several alike. */
export function MailAsEmlSwitch({
  checked,
  onChange,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <Switch
      checked={checked}
      label={t('transfer.mailAsEml')}
      onChange={(_e, data) => onChange(data.checked)}
      data-testid="option-eml"
    />
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
