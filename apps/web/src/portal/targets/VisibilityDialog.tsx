import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  makeStyles,
  Radio,
  RadioGroup,
  SearchBox,
  Tab,
  TabList,
  Tag,
  TagGroup,
  Text,
  tokens,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import type { VisibilityEntry } from '@mailissa/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { ErrorBar } from '../../ui/data-view.js';
import { type AdminTarget, searchDirectory, setVisibility } from './targets-api.js';

const useStyles = makeStyles({
  form: { display: 'grid', gap: tokens.spacingVerticalM },
  results: { listStyleType: 'none', margin: 0, padding: 0, maxHeight: '14rem', overflowY: 'auto' },
  result: { justifyContent: 'flex-start', width: '100%' },
});

type Result = { id: string; displayName: string; detail: string | null };

/** User administrators: everyone, or chosen users and groups found by searching the directory. */
export function VisibilityDialog({
  target,
  onClose,
  onSaved,
}: {
  target: AdminTarget;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const [everyone, setEveryone] = useState(target.visibility.everyone);
  const [entries, setEntries] = useState<VisibilityEntry[]>(target.visibility.entries);
  const [kind, setKind] = useState<'groups' | 'users'>('groups');
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Result[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const title = i18n.language === 'de' ? target.title.de : target.title.en;

  useEffect(() => {
    if (everyone) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      searchDirectory(kind, query).then(
        (page) => {
          if (cancelled) return;
          setResults(page.results);
          setNext(page.next);
          setCount(page.count);
        },
        (error: unknown) => !cancelled && setFailure(errorMessage(error)),
      );
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [kind, query, everyone]);

  async function more() {
    if (!next) return;
    try {
      const page = await searchDirectory(kind, query, next);
      setResults((list) => [...list, ...page.results]);
      setNext(page.next);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }

  async function save() {
    setFailure(null);
    try {
      await setVisibility(target.id, { everyone, entries: everyone ? [] : entries });
      onSaved();
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }

  const type = kind === 'groups' ? 'group' : 'user';
  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? null : onClose())}>
      <DialogSurface data-testid="visibility-dialog">
        <DialogBody>
          <DialogTitle>{t('targets.visibility.title', { title })}</DialogTitle>
          <DialogContent className={styles.form}>
            {failure ? <ErrorBar>{t('targets.failed', { message: failure })}</ErrorBar> : null}
            <RadioGroup
              value={everyone ? 'everyone' : 'chosen'}
              onChange={(_e, d) => setEveryone(d.value === 'everyone')}
            >
              <Radio value="everyone" label={t('targets.visibility.everyone')} />
              <Radio value="chosen" label={t('targets.visibility.chosen')} />
            </RadioGroup>
            {everyone ? null : (
              <>
                {entries.length === 0 ? (
                  <Text>{t('targets.visibility.none')}</Text>
                ) : (
                  <TagGroup
                    onDismiss={(_e, data) =>
                      setEntries((list) => list.filter((entry) => entry.id !== data.value))
                    }
                    aria-label={t('targets.visibleTo')}
                  >
                    {entries.map((entry) => (
                      <Tag
                        key={entry.id}
                        value={entry.id}
                        dismissible
                        dismissIcon={{
                          'aria-label': t('targets.visibility.remove', { name: entry.displayName }),
                        }}
                        secondaryText={
                          entry.type === 'group'
                            ? t('targets.visibility.group')
                            : t('targets.visibility.user')
                        }
                      >
                        {entry.displayName}
                      </Tag>
                    ))}
                  </TagGroup>
                )}
                <TabList
                  selectedValue={kind}
                  onTabSelect={(_e, d) => setKind(d.value === 'users' ? 'users' : 'groups')}
                >
                  <Tab value="groups">{t('targets.visibility.groups')}</Tab>
                  <Tab value="users">{t('targets.visibility.users')}</Tab>
                </TabList>
                <Field
                  label={
                    kind === 'groups'
                      ? t('targets.visibility.searchGroups')
                      : t('targets.visibility.searchUsers')
                  }
                >
                  <SearchBox
                    value={query}
                    onChange={(_e, d) => setQuery(d.value)}
                    data-testid="directory-search"
                  />
                </Field>
                {count !== null ? <Text size={200}>{t('targets.visibility.count', { count })}</Text> : null}
                <ul className={styles.results} data-testid="directory-results">
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
                            setEntries((list) => [
                              ...list,
                              { type, id: result.id, displayName: result.displayName },
                            ])
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
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={() => void save()} data-testid="visibility-save">
              {t('targets.save')}
            </Button>
            <Button onClick={onClose}>{t('targets.cancel')}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
