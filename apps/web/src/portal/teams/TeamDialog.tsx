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
  Text,
  tokens,
} from '@fluentui/react-components';
import type { Category, TeamMemberEntry } from '@mailissa/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { ErrorBar } from '../../ui/data-view.js';
import { CategoryChip } from '../categories/CategoryChip.js';
import { DirectoryPicker } from '../directory/DirectoryPicker.js';
import { type AdminTeam, createTeam, updateTeam } from './teams-api.js';

const useStyles = makeStyles({
  form: { display: 'grid', gap: tokens.spacingVerticalM },
  categories: { display: 'grid', gap: tokens.spacingVerticalXXS },
});

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
  const [failure, setFailure] = useState<string | null>(null);

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
            <DirectoryPicker
              entries={members}
              onChange={setMembers}
              label={t('teams.members')}
              noneText={t('teams.membersNone')}
              onFailure={setFailure}
              testIdPrefix="team-directory"
            />
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
