import {
  CounterBadge,
  Field,
  makeStyles,
  Select,
  Tab,
  TabList,
  Text,
  tokens,
} from '@fluentui/react-components';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { ErrorBar } from '../../ui/data-view.js';
import type { Bootstrap } from '../addin-api.js';
import type { MessageRead, OfficeApi } from '../office-api.js';
import { TeamList } from './TeamList.js';
import { TeamPane } from './TeamPane.js';
import { createTeamApi, type MyTeams, type TeamEvent } from './team-api.js';
import { followTeamEvents } from './team-event-stream.js';

const useStyles = makeStyles({
  area: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

type View = 'transfer' | 'team' | 'list';

/**
 * The add-in's body for a user with a Team licence: tabs for Transfer (the existing panel, given as
 * `children`), the open mail's Team state and the team list. Without a Team licence it is `children`.
 */
export function TeamWorkspace({
  me,
  getAccessToken,
  office,
  item,
  noItem,
  children,
}: {
  me: Bootstrap;
  getAccessToken: () => Promise<string>;
  office: OfficeApi;
  item: MessageRead | null;
  /** What to show in the Team tab while no mail is selected. */
  noItem: ReactNode;
  children: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const hasTeam = me.licences.includes('team');
  const hasTransfer = me.licences.includes('transfer');
  const [view, setView] = useState<View>(hasTransfer ? 'transfer' : 'team');
  const [teams, setTeams] = useState<MyTeams | null>(null);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const language = i18n.language === 'de' ? 'de' : 'en';
  const api = useMemo(() => createTeamApi(getAccessToken, language), [getAccessToken, language]);
  const listeners = useRef(new Set<(event: TeamEvent) => void>());
  const userId = useRef<string | null>(null);

  const loadTeams = useCallback(() => {
    api.teams().then(
      (loaded) => {
        setTeams(loaded);
        userId.current = loaded.user.userId;
        setTeamId((current) =>
          current && loaded.teams.some((team) => team.id === current)
            ? current
            : (loaded.teams[0]?.id ?? null),
        );
      },
      (error: unknown) => setFailure(errorMessage(error)),
    );
  }, [api]);

  useEffect(() => {
    if (hasTeam) loadTeams();
  }, [hasTeam, loadTeams]);

  // One live stream per selected team, shared by the pane and the list.
  useEffect(() => {
    if (!teamId) return;
    return followTeamEvents({
      teamId,
      getAccessToken,
      onEvent: (event) => {
        // Team changes, and others' notes (which may mention this user: the badge), reload the teams.
        if (event.type === 'team' || (event.type === 'mail' && event.actorUserId !== userId.current)) {
          loadTeams();
        }
        for (const listener of listeners.current) listener(event);
      },
    });
  }, [teamId, getAccessToken, loadTeams]);
  const events = useCallback((listener: (event: TeamEvent) => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  if (!hasTeam) return <>{children}</>;
  const team = teams?.teams.find((candidate) => candidate.id === teamId) ?? null;
  return (
    <div className={styles.area}>
      <TabList size="small" selectedValue={view} onTabSelect={(_e, d) => setView(d.value as View)}>
        {hasTransfer ? <Tab value="transfer">{t('team.tabTransfer')}</Tab> : null}
        <Tab value="team" data-testid="tab-team">
          {t('team.tabTeam')}
          {teams && teams.unseenMentions > 0 ? (
            <>
              {' '}
              <CounterBadge
                count={teams.unseenMentions}
                size="small"
                aria-label={t('team.unseenMentions', { count: teams.unseenMentions })}
                data-testid="team-mention-badge"
              />
            </>
          ) : null}
        </Tab>
        <Tab value="list" data-testid="tab-team-list">
          {t('team.tabList')}
        </Tab>
      </TabList>
      {view === 'transfer' ? (
        children
      ) : failure ? (
        <ErrorBar>{t('team.failed', { message: failure })}</ErrorBar>
      ) : teams === null ? null : !team ? (
        <Text data-testid="team-none">{t('team.noTeams')}</Text>
      ) : (
        <>
          {teams.teams.length > 1 ? (
            <Field label={t('team.team')}>
              <Select value={team.id} onChange={(_e, d) => setTeamId(d.value)} data-testid="team-select">
                {teams.teams.map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>
                    {candidate.name}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
          {view === 'list' ? (
            <TeamList api={api} team={team} office={office} events={events} />
          ) : item ? (
            <TeamPane
              key={`${team.id}:${item.itemId}`}
              api={api}
              team={team}
              me={teams.user}
              item={item}
              events={events}
              onOpened={loadTeams}
            />
          ) : (
            noItem
          )}
        </>
      )}
    </div>
  );
}
