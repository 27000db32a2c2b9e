import { Button, makeStyles, Text, tokens } from '@fluentui/react-components';
import { AddRegular, DataBarVerticalRegular, DeleteRegular, EditRegular } from '@fluentui/react-icons';
import type { Role } from '@mailissa/contracts';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { ErrorBar, LoadState, useLoad } from '../../ui/data-view.js';
import { ConfirmDialog } from '../../ui/dialog.js';
import { Section } from '../../ui/layout.js';
import { CategoryChip } from '../categories/CategoryChip.js';
import { fetchCategories } from '../targets/targets-api.js';
import { TeamDashboardView } from './TeamDashboardView.js';
import { TeamDialog } from './TeamDialog.js';
import { type AdminTeam, deleteTeam, fetchTeams } from './teams-api.js';

const useStyles = makeStyles({
  list: { listStyleType: 'none', padding: 0, margin: 0, display: 'grid', gap: tokens.spacingVerticalM },
  row: {
    display: 'grid',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingVerticalS,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  spacer: { flexGrow: 1 },
  chips: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
});

async function loadTeamsAndCategories() {
  const [teams, categories] = await Promise.all([fetchTeams(), fetchCategories()]);
  return { teams, categories: categories.filter((c) => c.module === 'team') };
}

/** Administrators: the teams of Mailissa Team; tenant administrators create and change them. */
export function TeamsView({ roles, onError }: { roles: Role[]; onError: (error: unknown) => void }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const lang = i18n.language === 'de' ? 'de' : 'en';
  const load = useCallback(loadTeamsAndCategories, []);
  const loaded = useLoad(load, onError);
  const canEdit = roles.includes('tenant_administrator');
  const [editing, setEditing] = useState<AdminTeam | 'new' | null>(null);
  const [deleting, setDeleting] = useState<AdminTeam | null>(null);
  const [board, setBoard] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  return (
    <Section
      title={t('teams.title')}
      labelId="teams-title"
      actions={
        canEdit ? (
          <Button icon={<AddRegular />} onClick={() => setEditing('new')} data-testid="team-add">
            {t('teams.add')}
          </Button>
        ) : null
      }
    >
      <Text>{t('teams.intro')}</Text>
      {failure ? <ErrorBar>{t('teams.failed', { message: failure })}</ErrorBar> : null}
      <LoadState loaded={loaded} loadFailed={(message) => t('portal.loadFailed', { message })}>
        {({ teams, categories }) => (
          <>
            {teams.length === 0 ? (
              <p>{t('teams.empty')}</p>
            ) : (
              <ul className={styles.list} data-testid="teams">
                {teams.map((team) => (
                  <li key={team.id} className={styles.row} data-testid="team-row">
                    <div className={styles.head}>
                      <Text weight="semibold">{team.name}</Text>
                      {team.sharedMailbox ? <Text size={200}>{team.sharedMailbox}</Text> : null}
                      <Text size={200}>{t('teams.member', { count: team.members.length })}</Text>
                      <span className={styles.spacer} />
                      <Button
                        icon={<DataBarVerticalRegular />}
                        onClick={() => setBoard(board === team.id ? null : team.id)}
                      >
                        {board === team.id ? t('teams.hideDashboard') : t('teams.dashboard')}
                      </Button>
                      {canEdit ? (
                        <>
                          <Button icon={<EditRegular />} onClick={() => setEditing(team)}>
                            {t('teams.edit')}
                          </Button>
                          <Button icon={<DeleteRegular />} onClick={() => setDeleting(team)}>
                            {t('teams.delete')}
                          </Button>
                        </>
                      ) : null}
                    </div>
                    <div className={styles.chips}>
                      {team.categoryIds.map((id) => {
                        const category = categories.find((c) => c.id === id);
                        return category ? (
                          <CategoryChip key={id} name={category.name[lang]} color={category.color} />
                        ) : null;
                      })}
                    </div>
                    <Text size={200}>{team.members.map((m) => m.displayName).join(', ')}</Text>
                    {board === team.id ? <TeamDashboardView teamId={team.id} onError={onError} /> : null}
                  </li>
                ))}
              </ul>
            )}
            {editing ? (
              <TeamDialog
                team={editing === 'new' ? null : editing}
                categories={categories}
                onClose={() => setEditing(null)}
                onSaved={() => {
                  setEditing(null);
                  loaded.reload();
                }}
              />
            ) : null}
          </>
        )}
      </LoadState>
      <ConfirmDialog
        open={deleting !== null}
        title={t('teams.deleteTitle')}
        confirm={t('teams.delete')}
        dismiss={t('teams.cancel')}
        onDismiss={() => setDeleting(null)}
        onConfirm={() => {
          const team = deleting;
          setDeleting(null);
          if (!team) return;
          deleteTeam(team.id).then(loaded.reload, (error: unknown) => {
            setFailure(errorMessage(error));
            onError(error);
          });
        }}
      >
        {t('teams.deleteBody', { name: deleting?.name ?? '' })}
      </ConfirmDialog>
    </Section>
  );
}
