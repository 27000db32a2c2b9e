import {
  Button,
  Caption1,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Radio,
  RadioGroup,
  tokens,
} from '@fluentui/react-components';
import { OpenRegular, SearchRegular } from '@fluentui/react-icons';
import type { ExistingRecord } from '@mailissa/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../ui/api-client.js';
import { LoadingSpinner } from '../../ui/loading-spinner';
import type { AddinApi } from '../addin-api.js';

const useStyles = makeStyles({
  fieldset: { border: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  search: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end' },
  grow: { flexGrow: 1 },
  record: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
});

/** Create a new record, or add to an existing one (`linkTo`, null until the user picks one). */
export type LinkChoice = { mode: 'new' } | { mode: 'existing'; linkTo: string | null };

/**
 * "New" or "existing" for targets whose system can take a mail into a record it already has (a Jira
 * issue, a Trello card, a Domino document): a search by key or words with the user's own account,
 * and the found records to pick from. A rejected or missing account leads to the connect form.
 */
export function ExistingRecordPicker({
  api,
  targetId,
  choice,
  onChange,
  onNeedsAccount,
}: {
  api: AddinApi;
  targetId: string;
  choice: LinkChoice;
  onChange: (choice: LinkChoice) => void;
  onNeedsAccount: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [query, setQuery] = useState('');
  const [records, setRecords] = useState<ExistingRecord[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const search = (text: string) => {
    setSearching(true);
    setFailure(null);
    api
      .records(targetId, text.trim())
      .then((found) => {
        setRecords(found);
        // A pick that is no longer in the list would be sent unseen: clear it.
        if (choice.mode === 'existing' && !found.some((record) => record.id === choice.linkTo)) {
          onChange({ mode: 'existing', linkTo: null });
        }
      })
      .catch((error: unknown) => {
        if (isApiError(error, 'target_account_not_connected')) {
          onNeedsAccount();
          return;
        }
        setFailure(error instanceof Error ? error.message : String(error));
      })
      .finally(() => setSearching(false));
  };

  return (
    <>
      <Field label={t('transfer.linkLegend')}>
        <RadioGroup
          value={choice.mode}
          onChange={(_e, data) => {
            if (data.value === 'existing') {
              onChange({ mode: 'existing', linkTo: null });
              if (records === null) search(query);
            } else {
              onChange({ mode: 'new' });
            }
          }}
          data-testid="link-mode"
        >
          <Radio value="new" label={t('transfer.linkNew')} data-testid="link-new" />
          <Radio value="existing" label={t('transfer.linkExisting')} data-testid="link-existing" />
        </RadioGroup>
      </Field>
      {choice.mode === 'existing' ? (
        <>
          <div className={styles.search}>
            <Field label={t('transfer.recordSearch')} className={styles.grow}>
              <Input
                value={query}
                onChange={(_e, data) => setQuery(data.value)}
                onKeyDown={(event) => {
                  // Enter searches here instead of sending the form.
                  if (event.key === 'Enter') {
                    event.preventDefault();
                    search(query);
                  }
                }}
                data-testid="record-search"
              />
            </Field>
            <Button icon={<SearchRegular />} onClick={() => search(query)} data-testid="record-search-button">
              {t('transfer.recordSearchButton')}
            </Button>
          </div>
          {searching ? <LoadingSpinner size="extra-tiny" /> : null}
          {failure ? (
            <MessageBar intent="error">
              <MessageBarBody>{t('transfer.recordsFailed', { message: failure })}</MessageBarBody>
            </MessageBar>
          ) : null}
          {records !== null && !searching && records.length === 0 ? (
            <Caption1 data-testid="records-none">{t('transfer.recordsNone')}</Caption1>
          ) : null}
          {records && records.length > 0 ? (
            <Field label={t('transfer.recordsLegend')}>
              <RadioGroup
                value={choice.linkTo ?? ''}
                onChange={(_e, data) => onChange({ mode: 'existing', linkTo: data.value })}
                data-testid="records"
              >
                {records.map((record) => (
                  <span key={record.id} className={styles.record}>
                    <Radio value={record.id} label={record.title} data-testid="record" />
                    {record.url ? (
                      <Link
                        href={record.url}
                        target="_blank"
                        rel="noopener"
                        aria-label={record.title}
                        title={record.title}
                      >
                        <OpenRegular />
                      </Link>
                    ) : null}
                  </span>
                ))}
              </RadioGroup>
            </Field>
          ) : null}
        </>
      ) : null}
    </>
  );
}
