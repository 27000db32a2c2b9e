import { Button, makeStyles, Text, tokens } from '@fluentui/react-components';
import {
  ArrowLeftRegular,
  BoardRegular,
  ChannelRegular,
  PeopleTeamRegular,
  TaskListLtrRegular,
} from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { ErrorBar } from '../../ui/data-view.js';
import { LoadingSpinner } from '../../ui/loading-spinner';
import { fetchBuckets, fetchChannels, fetchPlanGroups, fetchPlans, fetchTeams } from './targets-api.js';

const useStyles = makeStyles({
  picker: {
    display: 'grid',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  list: { listStyleType: 'none', margin: 0, padding: 0, maxHeight: '12rem', overflowY: 'auto' },
  item: { justifyContent: 'flex-start', width: '100%' },
});

interface Named {
  id: string;
  name: string;
}

/** What the picker chose: the settings it fills and a label to show. */
export type MicrosoftChoice =
  | { kind: 'teams_channel'; teamId: string; teamName: string; channelId: string; channelName: string }
  | { kind: 'planner'; planId: string; planName: string; bucketId: string; bucketName: string };

type Step = { level: 0 } | { level: 1; parent: Named } | { level: 2; group: Named; parent: Named };

/**
 * Team → channel, or Microsoft 365 group → plan → bucket, read through Graph by the server
 * (app-only). The administrator clicks; nobody types a channel or plan id.
 */
export function MicrosoftPicker({
  mode,
  onChoose,
}: {
  mode: 'teams_channel' | 'planner';
  onChoose: (choice: MicrosoftChoice) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [step, setStep] = useState<Step>({ level: 0 });
  const [items, setItems] = useState<Named[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setItems(null);
    setFailure(null);
    const load = (): Promise<Named[]> => {
      if (mode === 'teams_channel') return step.level === 0 ? fetchTeams() : fetchChannels(step.parent.id);
      if (step.level === 0) return fetchPlanGroups();
      if (step.level === 1) return fetchPlans(step.parent.id);
      return fetchBuckets(step.parent.id);
    };
    void load().then(
      (list) => !cancelled && setItems(list),
      (error: unknown) => !cancelled && setFailure(errorMessage(error)),
    );
    return () => {
      cancelled = true;
    };
  }, [mode, step]);

  const headings =
    mode === 'teams_channel'
      ? [t('targets.m365Picker.teams'), t('targets.m365Picker.channels')]
      : [t('targets.m365Picker.groups'), t('targets.m365Picker.plans'), t('targets.m365Picker.buckets')];
  const icons =
    mode === 'teams_channel'
      ? [<PeopleTeamRegular key="t" />, <ChannelRegular key="c" />]
      : [<PeopleTeamRegular key="g" />, <BoardRegular key="p" />, <TaskListLtrRegular key="b" />];

  function pick(item: Named) {
    if (step.level === 0) setStep({ level: 1, parent: item });
    else if (step.level === 1 && mode === 'planner') setStep({ level: 2, group: step.parent, parent: item });
    else if (step.level === 1) {
      onChoose({
        kind: 'teams_channel',
        teamId: step.parent.id,
        teamName: step.parent.name,
        channelId: item.id,
        channelName: item.name,
      });
    } else {
      onChoose({
        kind: 'planner',
        planId: step.parent.id,
        planName: step.parent.name,
        bucketId: item.id,
        bucketName: item.name,
      });
    }
  }

  const trail =
    step.level === 0 ? '' : step.level === 1 ? step.parent.name : `${step.group.name} / ${step.parent.name}`;
  return (
    <section
      className={styles.picker}
      aria-label={
        mode === 'teams_channel' ? t('targets.m365Picker.teamsTitle') : t('targets.m365Picker.plannerTitle')
      }
      data-testid="m365-picker"
    >
      <Text weight="semibold">
        {headings[step.level]}
        {trail ? ` · ${trail}` : ''}
      </Text>
      {step.level > 0 ? (
        <Button
          icon={<ArrowLeftRegular />}
          appearance="subtle"
          onClick={() => setStep(step.level === 2 ? { level: 1, parent: step.group } : { level: 0 })}
        >
          {t('targets.m365Picker.up')}
        </Button>
      ) : null}
      {failure ? <ErrorBar>{t('targets.failed', { message: failure })}</ErrorBar> : null}
      {items === null && !failure ? <LoadingSpinner size="tiny" /> : null}
      {items?.length === 0 ? <Text>{t('targets.m365Picker.none')}</Text> : null}
      <ul className={styles.list}>
        {items?.map((item) => (
          <li key={item.id}>
            <Button
              className={styles.item}
              appearance="subtle"
              icon={icons[step.level]}
              onClick={() => pick(item)}
              data-testid="m365-picker-item"
            >
              {item.name}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
