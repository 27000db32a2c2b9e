import { Button, Caption1, Dropdown, Input, makeStyles, Option, tokens } from '@fluentui/react-components';
import { AddRegular, DeleteRegular } from '@fluentui/react-icons';
import type { SettingFieldDescription } from '@mailissa/contracts';
import { useTranslation } from 'react-i18next';

const useStyles = makeStyles({
  fieldset: {
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    margin: 0,
    padding: tokens.spacingHorizontalM,
    display: 'grid',
    gap: tokens.spacingVerticalS,
    minWidth: 0,
  },
  row: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr) auto',
    gap: tokens.spacingHorizontalS,
    alignItems: 'center',
  },
});

export interface FieldMappingRow {
  field: string;
  source: string;
}

/** The rows of a stored mapping; anything else (absent, malformed) is no rows. */
export function mappingRows(value: unknown): FieldMappingRow[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) =>
    typeof entry === 'object' &&
    entry !== null &&
    typeof (entry as { field?: unknown }).field === 'string' &&
    typeof (entry as { source?: unknown }).source === 'string'
      ? [{ field: (entry as FieldMappingRow).field, source: (entry as FieldMappingRow).source }]
      : [],
  );
}

/**
 * A `field_mapping` setting (issue 11 item 9): which field of the target system gets which part of
 * the mail (subject, sender, date, categories, text). Stored with the target's settings and applied
 * by its connector; the server checks the field names (400 naming the row). No rows: the connector's
 * defaults apply.
 */
export function FieldMappingEditor({
  field,
  value,
  onChange,
}: {
  field: SettingFieldDescription;
  value: unknown;
  /** `undefined` when no rows are left, so the connector's defaults apply. */
  onChange: (rows: FieldMappingRow[] | undefined) => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const lang = i18n.language === 'de' ? 'de' : 'en';
  const rows = mappingRows(value);
  const sources = field.sources ?? [];
  const sourceLabel = (key: string) => sources.find((source) => source.key === key)?.label[lang] ?? key;
  const change = (next: FieldMappingRow[]) => onChange(next.length > 0 ? next : undefined);

  return (
    <fieldset className={styles.fieldset} data-testid={`mapping-${field.key}`}>
      <legend>{field.label[lang]}</legend>
      {field.help ? <Caption1>{field.help[lang]}</Caption1> : null}
      {rows.length === 0 ? <Caption1>{t('targets.mapping.none')}</Caption1> : null}
      {rows.map((row, index) => {
        const number = index + 1;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the position is what the row is
          <div key={index} className={styles.row}>
            <Input
              aria-label={t('targets.mapping.field', { number })}
              value={row.field}
              onChange={(_e, d) => change(rows.map((r, i) => (i === index ? { ...r, field: d.value } : r)))}
              data-testid="mapping-field"
            />
            <Dropdown
              aria-label={t('targets.mapping.source', { number })}
              value={sourceLabel(row.source)}
              selectedOptions={[row.source]}
              onOptionSelect={(_e, d) =>
                change(rows.map((r, i) => (i === index ? { ...r, source: d.optionValue ?? r.source } : r)))
              }
              data-testid="mapping-source"
            >
              {sources.map((source) => (
                <Option key={source.key} value={source.key}>
                  {source.label[lang]}
                </Option>
              ))}
            </Dropdown>
            <Button
              appearance="subtle"
              icon={<DeleteRegular />}
              aria-label={t('targets.mapping.remove', { number })}
              title={t('targets.mapping.remove', { number })}
              onClick={() => change(rows.filter((_r, i) => i !== index))}
            />
          </div>
        );
      })}
      <div>
        <Button
          size="small"
          icon={<AddRegular />}
          disabled={sources.length === 0}
          onClick={() => change([...rows, { field: '', source: sources[0]?.key ?? 'subject' }])}
          data-testid="mapping-add"
        >
          {t('targets.mapping.add')}
        </Button>
      </div>
    </fieldset>
  );
}
