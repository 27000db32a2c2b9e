import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  makeStyles,
  Option,
  Radio,
  RadioGroup,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { MappableField, TargetColumn, TargetTransferOptions } from '@mailissa/contracts';
import {
  DEFAULT_FILE_NAME_TEMPLATE,
  FILE_NAME_PLACEHOLDERS,
  fileNameTemplateProblem,
  renderFileName,
} from '@mailissa/contracts/file-name-template';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { OUTLOOK_CATEGORY_COLORS } from '../../ui/category-colors.js';
import { ErrorBar } from '../../ui/data-view.js';
import { LoadingSpinner } from '../../ui/loading-spinner';
import { CategoryChip } from '../categories/CategoryChip.js';
import { type AdminTarget, fetchColumns, fetchTransferOptions, saveTransferOptions } from './targets-api.js';

const useStyles = makeStyles({
  form: { display: 'grid', gap: tokens.spacingVerticalM },
  swatches: { flexWrap: 'wrap' },
  mapping: {
    display: 'grid',
    gridTemplateColumns: 'minmax(8rem, 1fr) minmax(8rem, 1fr)',
    gap: tokens.spacingHorizontalM,
    alignItems: 'center',
  },
});

const MAPPABLE_FIELDS: readonly MappableField[] = [
  'subject',
  'from',
  'to',
  'date',
  'category',
  'conversation',
];

/** A mail to preview the template with, so the administrator sees a real-looking name. */
const SAMPLE = {
  receivedAt: new Date(Date.UTC(2026, 10, 18, 14, 5)),
  from: 'sofia@lindqvist.example',
  fromName: 'Sofia Lindqvist',
  subject: 'Signed framework contract',
  to: 'anna.berger@contoso.example',
};

/**
 * Tenant administrators: how a target names the `.eml`, the Outlook category a filed mail gets, and
 * (SharePoint libraries) which mail fields fill which columns.
 */
export function TransferOptionsDialog({ target, onClose }: { target: AdminTarget; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const lang = i18n.language === 'de' ? 'de' : 'en';
  const title = target.title[lang];
  const [options, setOptions] = useState<TargetTransferOptions | null>(null);
  const [fieldMapping, setFieldMapping] = useState(false);
  const [columns, setColumns] = useState<TargetColumn[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let cancelled = false;
    fetchTransferOptions(target.id).then(
      (answer) => {
        if (cancelled) return;
        setOptions(answer.options);
        setFieldMapping(answer.fieldMapping);
        if (answer.fieldMapping) {
          fetchColumns(target.id).then(
            (list) => !cancelled && setColumns(list),
            (error: unknown) => !cancelled && setFailure(errorMessage(error)),
          );
        }
      },
      (error: unknown) => !cancelled && setFailure(errorMessage(error)),
    );
    return () => {
      cancelled = true;
    };
  }, [target.id]);

  const templateProblem = options ? fileNameTemplateProblem(options.fileNameTemplate) : undefined;
  const marking = Boolean(options?.filedCategory !== null && options?.filedCategory !== undefined);

  async function save() {
    if (!options || templateProblem) return;
    setFailure(null);
    setSaving(true);
    try {
      await saveTransferOptions(target.id, {
        ...options,
        filedCategory: options.filedCategory?.trim() || null,
      });
      onClose();
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setSaving(false);
    }
  }

  function mapColumn(column: string, field: MappableField | '') {
    if (!options) return;
    const next = { ...options.columnMapping };
    if (field) next[column] = field;
    else delete next[column];
    setOptions({ ...options, columnMapping: next });
  }

  const fieldsFor = (column: TargetColumn) =>
    column.type === 'dateTime' ? MAPPABLE_FIELDS.filter((f) => f === 'date') : MAPPABLE_FIELDS;

  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? null : onClose())}>
      <DialogSurface data-testid="transfer-options-dialog">
        <DialogBody>
          <DialogTitle>{t('targets.transferOptions.title', { title })}</DialogTitle>
          <DialogContent className={styles.form}>
            {failure ? <ErrorBar>{t('targets.failed', { message: failure })}</ErrorBar> : null}
            {options === null ? (
              failure ? null : (
                <LoadingSpinner label={t('targets.transferOptions.loading')} />
              )
            ) : (
              <>
                <Field
                  label={t('targets.transferOptions.template')}
                  validationState={templateProblem ? 'error' : 'none'}
                  validationMessage={
                    templateProblem
                      ? t('targets.transferOptions.templateProblem', { problem: templateProblem })
                      : t('targets.transferOptions.preview', {
                          name: `${renderFileName(options.fileNameTemplate, SAMPLE)}.eml`,
                        })
                  }
                  hint={t('targets.transferOptions.placeholders', {
                    list: FILE_NAME_PLACEHOLDERS.map((p) => `{${p}}`).join(' '),
                  })}
                >
                  <Input
                    value={options.fileNameTemplate}
                    maxLength={200}
                    onChange={(_e, d) => setOptions({ ...options, fileNameTemplate: d.value })}
                    placeholder={DEFAULT_FILE_NAME_TEMPLATE}
                    data-testid="file-name-template"
                  />
                </Field>
                <Checkbox
                  checked={marking}
                  label={t('targets.transferOptions.mark')}
                  onChange={(_e, d) =>
                    setOptions({
                      ...options,
                      filedCategory: d.checked
                        ? t('targets.transferOptions.defaultCategory', { title })
                        : null,
                      filedColor: d.checked ? (options.filedColor ?? 'preset4') : null,
                    })
                  }
                  data-testid="filed-marker"
                />
                {marking ? (
                  <>
                    <Field label={t('targets.transferOptions.category')}>
                      <Input
                        value={options.filedCategory ?? ''}
                        maxLength={255}
                        onChange={(_e, d) => setOptions({ ...options, filedCategory: d.value })}
                        data-testid="filed-category"
                      />
                    </Field>
                    <Field label={t('targets.transferOptions.color')}>
                      <RadioGroup
                        className={styles.swatches}
                        layout="horizontal"
                        value={options.filedColor ?? 'preset4'}
                        onChange={(_e, d) => setOptions({ ...options, filedColor: d.value })}
                      >
                        {OUTLOOK_CATEGORY_COLORS.map((color) => (
                          <Radio
                            key={color.preset}
                            value={color.preset}
                            aria-label={color.name[lang]}
                            label={<CategoryChip name={color.name[lang]} color={color.preset} />}
                          />
                        ))}
                      </RadioGroup>
                    </Field>
                  </>
                ) : null}
                {fieldMapping ? (
                  <Field label={t('targets.transferOptions.columns')}>
                    {columns === null ? (
                      failure ? null : (
                        <LoadingSpinner label={t('targets.transferOptions.loadingColumns')} />
                      )
                    ) : (
                      <div className={styles.mapping} data-testid="column-mapping">
                        {columns
                          .filter((column) => column.writable)
                          .map((column) => (
                            <ColumnRow
                              key={column.name}
                              column={column}
                              fields={fieldsFor(column)}
                              value={options.columnMapping[column.name] ?? ''}
                              onChange={(field) => mapColumn(column.name, field)}
                            />
                          ))}
                        {columns.every((column) => !column.writable) ? (
                          <Text>{t('targets.transferOptions.noColumns')}</Text>
                        ) : null}
                      </div>
                    )}
                  </Field>
                ) : null}
              </>
            )}
          </DialogContent>
          <DialogActions>
            <Button
              appearance="primary"
              disabled={!options || Boolean(templateProblem) || saving}
              onClick={() => void save()}
              data-testid="transfer-options-save"
            >
              {t('targets.save')}
            </Button>
            <Button onClick={onClose}>{t('targets.cancel')}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function ColumnRow({
  column,
  fields,
  value,
  onChange,
}: {
  column: TargetColumn;
  fields: readonly MappableField[];
  value: MappableField | '';
  onChange: (field: MappableField | '') => void;
}) {
  const { t } = useTranslation();
  const label = (field: MappableField | '') =>
    field ? t(`targets.transferOptions.fields.${field}`) : t('targets.transferOptions.fields.none');
  return (
    <>
      <Text id={`column-${column.name}`}>{column.displayName}</Text>
      <Dropdown
        aria-labelledby={`column-${column.name}`}
        value={label(value)}
        selectedOptions={[value]}
        onOptionSelect={(_e, d) => onChange((d.optionValue ?? '') as MappableField | '')}
        data-testid={`map-${column.name}`}
      >
        <Option value="">{t('targets.transferOptions.fields.none')}</Option>
        {fields.map((field) => (
          <Option key={field} value={field}>
            {label(field)}
          </Option>
        ))}
      </Dropdown>
    </>
  );
}
