import {
  Button,
  Field,
  makeStyles,
  SearchBox,
  Tab,
  TabList,
  Tag,
  TagGroup,
  Text,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import type { VisibilityEntry } from '@mailissa/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { searchDirectory } from '../targets/targets-api.js';

const useStyles = makeStyles({
  results: { listStyleType: 'none', margin: 0, padding: 0, maxHeight: '13rem', overflowY: 'auto' },
  result: { justifyContent: 'flex-start', width: '100%' },
});

type Result = { id: string; displayName: string; detail: string | null };

/**
 * Users and groups chosen from the tenant's directory: the chosen ones as dismissible tags, and a
 * search over groups or users (as you type, a page at a time) to add more. Used wherever the portal
 * names people: who sees a target, who is in a team.
 */
export function DirectoryPicker({
  entries,
  onChange,
  label,
  noneText,
  onFailure,
  testIdPrefix,
}: {
  entries: VisibilityEntry[];
  onChange: (entries: VisibilityEntry[]) => void;
  /** The name of the chosen list, shown above it and read by screen readers. */
  label: string;
  noneText: string;
  onFailure: (message: string) => void;
  /** `<prefix>-search` and `<prefix>-results` name the search field and the result list. */
  testIdPrefix: string;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [kind, setKind] = useState<'groups' | 'users'>('groups');
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Result[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [count, setCount] = useState<number | null>(null);

  useEffect(() => {
    let cancelled = false;
    // Searched once typing pauses, not on every key: the directory is Microsoft Graph behind us.
    const timer = setTimeout(() => {
      searchDirectory(kind, query).then(
        (page) => {
          if (cancelled) return;
          setResults(page.results);
          setNext(page.next);
          setCount(page.count);
        },
        (error: unknown) => !cancelled && onFailure(errorMessage(error)),
      );
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [kind, query, onFailure]);

  async function more() {
    if (!next) return;
    try {
      const page = await searchDirectory(kind, query, next);
      setResults((list) => [...list, ...page.results]);
      setNext(page.next);
    } catch (error) {
      onFailure(errorMessage(error));
    }
  }

  const type = kind === 'groups' ? 'group' : 'user';
  return (
    <>
      <Field label={label}>
        {entries.length === 0 ? (
          <Text>{noneText}</Text>
        ) : (
          <TagGroup
            onDismiss={(_e, data) => onChange(entries.filter((entry) => entry.id !== data.value))}
            aria-label={label}
          >
            {entries.map((entry) => (
              <Tag
                key={entry.id}
                value={entry.id}
                dismissible
                dismissIcon={{ 'aria-label': t('targets.visibility.remove', { name: entry.displayName }) }}
                secondaryText={
                  entry.type === 'group' ? t('targets.visibility.group') : t('targets.visibility.user')
                }
              >
                {entry.displayName}
              </Tag>
            ))}
          </TagGroup>
        )}
      </Field>
      <TabList
        selectedValue={kind}
        onTabSelect={(_e, d) => setKind(d.value === 'users' ? 'users' : 'groups')}
      >
        <Tab value="groups">{t('targets.visibility.groups')}</Tab>
        <Tab value="users">{t('targets.visibility.users')}</Tab>
      </TabList>
      <Field
        label={kind === 'groups' ? t('targets.visibility.searchGroups') : t('targets.visibility.searchUsers')}
      >
        <SearchBox
          value={query}
          onChange={(_e, d) => setQuery(d.value)}
          data-testid={`${testIdPrefix}-search`}
        />
      </Field>
      {count !== null ? <Text size={200}>{t('targets.visibility.count', { count })}</Text> : null}
      <ul className={styles.results} data-testid={`${testIdPrefix}-results`}>
        {results
          .filter((result) => !entries.some((entry) => entry.id === result.id))
          .map((result) => (
            <li key={result.id}>
              <Button
                className={styles.result}
                appearance="subtle"
                icon={<AddRegular />}
                aria-label={t('targets.visibility.add', { name: result.displayName })}
                onClick={() =>
                  onChange([...entries, { type, id: result.id, displayName: result.displayName }])
                }
              >
                {result.displayName}
                {result.detail ? ` · ${result.detail}` : ''}
              </Button>
            </li>
          ))}
      </ul>
      {next ? <Button onClick={() => void more()}>{t('targets.visibility.more')}</Button> : null}
    </>
  );
}
