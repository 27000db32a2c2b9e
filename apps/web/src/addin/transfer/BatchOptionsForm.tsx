import { Caption1, Field, Radio, RadioGroup } from '@fluentui/react-components';
import type { DuplicateChoice } from '@mailissa/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AddinApi } from '../addin-api.js';
import { type AttachmentKinds, type BatchChoices, choosesNothing, DEFAULT_BATCH_CHOICES } from './batch.js';
import { SubfolderPicker } from './SubfolderPicker.js';
import { MailAsEmlSwitch, OptionsForm, sendOnEnter } from './TransferChoices.js';

const ATTACHMENT_KINDS: AttachmentKinds[] = ['files', 'all', 'none'];
const DUPLICATE_CHOICES: { value: DuplicateChoice; label: 'skip' | 'keepBoth' | 'replace' }[] = [
  { value: 'skip', label: 'skip' },
  { value: 'keep_both', label: 'keepBoth' },
  { value: 'replace', label: 'replace' },
];

/**
 * The choices for several mails at once, one set for all: the `.eml` or not, which kinds of
 * attachments, a subfolder where the target has folders, and what to do with a mail already there.
 * No file name: each mail keeps its own from the target's template, and the form says so.
 */
export function BatchOptionsForm({
  api,
  targetId,
  targetTitle,
  count,
  folders,
  onSend,
  onBack,
}: {
  api: Pick<AddinApi, 'folders' | 'createFolder'>;
  targetId: string;
  targetTitle: string;
  count: number;
  /** The target has folders below its own to browse and create. */
  folders: boolean;
  onSend: (choices: BatchChoices) => void;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const [choices, setChoices] = useState<BatchChoices>(DEFAULT_BATCH_CHOICES);
  const change = (changed: Partial<BatchChoices>) => setChoices((old) => ({ ...old, ...changed }));
  const nothing = choosesNothing(choices);
  const send = () => {
    if (!nothing) onSend(choices);
  };
  return (
    <OptionsForm
      title={t('batch.transferAll', { count, target: targetTitle })}
      problem={nothing ? t('transfer.nothingChosen') : null}
      sendLabel={t('transfer.send')}
      onSend={send}
      onBack={onBack}
      testId="batch-options"
    >
      <MailAsEmlSwitch checked={choices.includeMail} onChange={(includeMail) => change({ includeMail })} />
      {choices.includeMail ? <Caption1>{t('batch.fileNames')}</Caption1> : null}
      <Field label={t('transfer.attachmentsLegend')}>
        <RadioGroup
          value={choices.attachments}
          onChange={(_e, data) => {
            const attachments = ATTACHMENT_KINDS.find((kind) => kind === data.value);
            if (attachments) change({ attachments });
          }}
          data-testid="batch-attachments"
        >
          {ATTACHMENT_KINDS.map((kind) => (
            <Radio key={kind} value={kind} label={t(`batch.attachments.${kind}`)} />
          ))}
        </RadioGroup>
      </Field>
      {folders ? (
        <SubfolderPicker
          api={api}
          targetId={targetId}
          value={choices.subfolder}
          onChange={(subfolder) => change({ subfolder })}
          onKeyDown={sendOnEnter(send)}
        />
      ) : null}
      <Field label={t('batch.duplicates')}>
        <RadioGroup
          value={choices.onDuplicate}
          onChange={(_e, data) => {
            const chosen = DUPLICATE_CHOICES.find((choice) => choice.value === data.value);
            if (chosen) change({ onDuplicate: chosen.value });
          }}
          data-testid="batch-duplicates"
        >
          {DUPLICATE_CHOICES.map(({ value, label }) => (
            <Radio key={value} value={value} label={t(`transfer.${label}`)} />
          ))}
        </RadioGroup>
      </Field>
    </OptionsForm>
  );
}
