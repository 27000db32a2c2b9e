import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  SearchBox,
  Tab,
  TabList,
  Tag,
  TagGroup,
  Text,
  tokens,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import type { Category, TeamMemberEntry } from '@mailissa/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { ErrorBar } from '../../ui/data-view.js';
import { CategoryChip } from '../categories/CategoryChip.js';
import { searchDirectory } from '../targets/targets-api.js';
import { type AdminTeam, createTeam, updateTeam } from './teams-api.js';

const useStyles = makeStyles({
  form: { display: 'grid', gap: tokens.spacingVerticalM },
  results: { listStyleType: 'none', margin: 0, padding: 0, maxHeight: '12rem', overflowY: 'auto' },
  result: { justifyContent: 'flex-start', width: '100%' },
  categories: { display: 'grid', gap: tokens.spacingVerticalXXS },
});

type Result = { id: string; displayName: string; detail: string | null };

/** Tenant administrators: a team's name, members from the directory, shared mailbox and categories. */
export function TeamDialog({
  team,
  categories,
  onClose,
  onSaved,
}: {
  team: AdminTeam | null;
  categories: Category[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const lang = i18n.language === 'de' ? 'de' : 'en';
  const [name, setName] = useState(team?.name ?? '');
  const [mailbox, setMailbox] = useState(team?.sharedMailbox ?? '');
  const [members, setMembers] = useState<TeamMemberEntry[]>(team?.members ?? []);
  const [chosen, setChosen] = useState<string[]>(team?.categoryIds ?? []);
  const [kind, setKind] = useState<'groups' | 'users'>('groups');
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Result[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      searchDirectory(kind, query).then(
        (page) => !cancelled && setResults(page.results),
        (error: unknown) => !cancelled && setFailure(errorMessage(error)),
      );
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [kind, query]);

  async function save() {
    setFailure(null);
    const body = {
      name,
      members,
      sharedMailbox: mailbox.trim() === '' ? null : mailbox.trim(),
      categoryIds: chosen,
    };
    try {
      await (team ? updateTeam(team.id, body) : createTeam(body));
      onSaved();
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }

  const type = kind === 'groups' ? 'group' : 'user';
  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? null : onClose())}>
      <DialogSurface data-testid="team-dialog">
        <DialogBody>
          <DialogTitle>{team ? t('teams.editTitle') : t('teams.createTitle')}</DialogTitle>
          <DialogContent className={styles.form}>
            {failure ? <ErrorBar>{t('teams.failed', { message: failure })}</ErrorBar> : null}
            <Field label={t('teams.name')} required>
              <Input value={name} onChange={(_e, d) => setName(d.value)} data-testid="team-name" />
            </Field>
            <Field label={t('teams.sharedMailbox')} hint={t('teams.sharedMailboxHint')}>
              <Input
                type="email"
                value={mailbox}
                onChange={(_e, d) => setMailbox(d.value)}
                data-testid="team-mailbox"
              />
            </Field>
            <Field label={t('teams.categories')}>
              {categories.length === 0 ? (
                <Text>{t('teams.categoriesNone')}</Text>
              ) : (
                <div className={styles.categories}>
                  {categories.map((category) => (
                    <Checkbox
                      key={category.id}
                      checked={chosen.includes(category.id)}
                      onChange={(_e, d) =>
                        setChosen((list) =>
                          d.checked ? [...list, category.id] : list.filter((id) => id !== category.id),
                        )
                      }
                      label={<CategoryChip name={category.name[lang]} color={category.color} />}
                      data-testid={`team-category-${category.name.en}`}
                    />
                  ))}
                </div>
              )}
            </Field>
            <Field label={t('teams.members')}>
              {members.length === 0 ? (
                <Text>{t('teams.membersNone')}</Text>
              ) : (
                <TagGroup
                  onDismiss={(_e, data) =>
                    setMembers((list) => list.filter((entry) => entry.id !== data.value))
                  }
                  aria-label={t('teams.members')}
                >
                  {members.map((entry) => (
                    <Tag
                      key={entry.id}
                      value={entry.id}
                      dismissible
                      dismissIcon={{
                        'aria-label': t('targets.visibility.remove', { name: entry.displayName }),
                      }}
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
              label={
                kind === 'groups' ? t('targets.visibility.searchGroups') : t('targets.visibility.searchUsers')
              }
            >
              <SearchBox
                value={query}
                onChange={(_e, d) => setQuery(d.value)}
                data-testid="team-directory-search"
              />
            </Field>
            <ul className={styles.results} data-testid="team-directory-results">
              {results
                .filter((result) => !members.some((entry) => entry.id === result.id))
                .map((result) => (
                  <li key={result.id}>
                    <Button
                      className={styles.result}
                      appearance="subtle"
                      icon={<AddRegular />}
                      aria-label={t('targets.visibility.add', { name: result.displayName })}
                      onClick={() =>
                        setMembers((list) => [
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
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={() => void save()} data-testid="team-save">
              {t('teams.save')}
            </Button>
            <Button onClick={onClose}>{t('teams.cancel')}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
