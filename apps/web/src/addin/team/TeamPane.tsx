import {
  Badge,
  Button,
  Caption1,
  Field,
  makeStyles,
  Select,
  Subtitle2,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, DismissRegular, PeopleRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, isApiError } from '../../ui/api-client.js';
import { outlookColor } from '../../ui/category-colors.js';
import { ErrorBar } from '../../ui/data-view.js';
import { formatDateTime } from '../../ui/layout.js';
import { LoadingSpinner } from '../../ui/loading-spinner';
import type { MessageRead } from '../office-api.js';
import type { MyTeam, TeamApi, TeamEvent, TeamMail, TeamNote, TeamStatus } from './team-api.js';

const HEARTBEAT_MS = 10_000;

const useStyles = makeStyles({
  pane: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  chips: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  chip: { minWidth: 'auto', borderRadius: tokens.borderRadiusCircular, fontWeight: tokens.fontWeightRegular },
  row: { display: 'grid', gridTemplateColumns: '1fr 1fr', gap: tokens.spacingHorizontalS },
  notes: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalS },
  note: {
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
    display: 'grid',
    gap: tokens.spacingVerticalXXS,
  },
  noteText: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  noteHead: { display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'center', flexWrap: 'wrap' },
  suggestions: { listStyleType: 'none', margin: 0, padding: 0 },
  history: { margin: 0, paddingLeft: tokens.spacingHorizontalL, color: tokens.colorNeutralForeground2 },
  presence: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
});

/** The word being typed at the end of the text if it starts with `@` (what to suggest members for). */
function mentionQuery(text: string): string | null {
  const match = /(?:^|\s)@([^\s@]{0,40})$/u.exec(text);
  return match ? (match[1] ?? '') : null;
}

/** The members whose `@Name` is still in the text (a mention removed from the text is dropped). */
function mentionsIn(text: string, chosen: Map<string, string>): string[] {
  return [...chosen.entries()].filter(([, name]) => text.includes(`@${name}`)).map(([id]) => id);
}

function NoteEditor({
  team,
  initial,
  label,
  submit,
  onSubmit,
  onCancel,
  testId,
}: {
  team: MyTeam;
  initial: string;
  label: string;
  submit: string;
  onSubmit: (text: string, mentions: string[]) => Promise<boolean>;
  onCancel?: () => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [text, setText] = useState(initial);
  const [chosen, setChosen] = useState(new Map<string, string>());
  const [busy, setBusy] = useState(false);
  const query = mentionQuery(text);
  const suggestions =
    query === null
      ? []
      : team.members.filter((m) => m.displayName.toLowerCase().includes(query.toLowerCase())).slice(0, 6);

  useEffect(() => setText(initial), [initial]);

  return (
    <div>
      <Field label={label}>
        <Textarea
          value={text}
          onChange={(_e, d) => setText(d.value)}
          resize="vertical"
          data-testid={testId}
        />
      </Field>
      {suggestions.length > 0 ? (
        <ul className={styles.suggestions} data-testid="team-mention-suggestions">
          {suggestions.map((member) => (
            <li key={member.userId}>
              <Button
                appearance="subtle"
                size="small"
                onClick={() => {
                  setText((current) => current.replace(/@([^\s@]{0,40})$/u, `@${member.displayName} `));
                  setChosen((map) => new Map(map).set(member.userId, member.displayName));
                }}
              >
                {t('team.mention', { name: member.displayName })}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      <div>
        <Button
          appearance="primary"
          size="small"
          disabled={busy || text.trim() === ''}
          data-testid={`${testId}-submit`}
          onClick={() => {
            setBusy(true);
            void onSubmit(text, mentionsIn(text, chosen)).then((ok) => {
              setBusy(false);
              if (ok && !onCancel) {
                setText('');
                setChosen(new Map());
              }
            });
          }}
        >
          {submit}
        </Button>{' '}
        {onCancel ? (
          <Button size="small" onClick={onCancel}>
            {t('team.cancel')}
          </Button>
        ) : null}
      </div>
    </div>
  );
}

/** The open mail's shared state for one team: categories, assignee, status, notes, history, presence. */
export function TeamPane({
  api,
  team,
  me,
  item,
  events,
  onOpened,
}: {
  api: TeamApi;
  team: MyTeam;
  me: { userId: string };
  item: MessageRead;
  /** Subscribes to the team's live events; returns the unsubscribe. */
  events: (listener: (event: TeamEvent) => void) => () => void;
  /** Called once the mail's state is open (its mentions now count as seen). */
  onOpened?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const [mail, setMail] = useState<TeamMail | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [conflict, setConflict] = useState<{ noteId: string; text: string } | null>(null);
  const mailId = useRef<string | null>(null);
  const shown = useRef<TeamMail | null>(null);
  shown.current = mail;

  const act = useCallback(async (action: () => Promise<TeamMail>): Promise<boolean> => {
    setFailure(null);
    try {
      const next = await action();
      mailId.current = next.id;
      setMail(next);
      return true;
    } catch (error) {
      setFailure(errorMessage(error));
      return false;
    }
  }, []);

  // Opens (or creates) the team state of the selected mail.
  const opened = useRef(onOpened);
  useEffect(() => {
    void act(() =>
      api.open(team.id, {
        internetMessageId: item.internetMessageId,
        subject: item.subject,
        from: { name: item.from.displayName, address: item.from.emailAddress },
        receivedAt: item.dateTimeCreated ? new Date(item.dateTimeCreated).toISOString() : null,
      }),
    ).then((ok) => ok && opened.current?.());
  }, [api, team.id, item, act]);

  // Others' changes, live; the heartbeat tells the team this member has the mail open.
  useEffect(
    () =>
      events((event) => {
        const id = mailId.current;
        if (!id) return;
        if (event.teamMailId === id || event.type === 'team') void act(() => api.get(team.id, id));
      }),
    [events, api, team.id, act],
  );
  useEffect(() => {
    const beat = () => {
      const id = mailId.current;
      if (!id) return;
      api.heartbeat(team.id, id).then(
        (present) => {
          // A mention that arrived while the mail is open counts as seen now: the badge follows.
          if (shown.current?.notes.some((note) => note.mentions.includes(me.userId))) opened.current?.();
          setMail((current) => (current ? { ...current, present } : current));
        },
        () => undefined,
      );
    };
    const first = setTimeout(beat, 300);
    const timer = setInterval(beat, HEARTBEAT_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [api, team.id, me.userId]);

  if (!mail) {
    return failure ? (
      <ErrorBar>{t('team.failed', { message: failure })}</ErrorBar>
    ) : (
      <LoadingSpinner size="small" label={t('team.loading')} />
    );
  }

  async function saveEdit(note: TeamNote, text: string, mentions: string[]): Promise<boolean> {
    if (!mail) return false;
    setConflict(null);
    try {
      const next = await api.editNote(team.id, mail.id, note.id, note.version, { text, mentions });
      setMail(next);
      setEditing(null);
      return true;
    } catch (error) {
      if (isApiError(error, 'team_note_conflict')) {
        const newer = error.details.note as TeamNote | undefined;
        setConflict({ noteId: note.id, text: newer?.text ?? '' });
        void act(() => api.get(team.id, mail.id));
        return false;
      }
      setFailure(errorMessage(error));
      return false;
    }
  }

  return (
    <div className={styles.pane} data-testid="team-pane">
      {failure ? <ErrorBar>{t('team.failed', { message: failure })}</ErrorBar> : null}
      {mail.present.length > 0 ? (
        <Text className={styles.presence} data-testid="team-presence">
          <PeopleRegular />
          {t('team.alsoOpen', { names: mail.present.map((p) => p.displayName).join(', ') })}
        </Text>
      ) : null}
      <div>
        <Subtitle2 as="h2">{t('team.categories')}</Subtitle2>
        {team.categories.length === 0 ? (
          <Text>{t('team.noCategories')}</Text>
        ) : (
          <div className={styles.chips} data-testid="team-categories">
            {team.categories.map((category) => {
              const on = mail.categoryIds.includes(category.id);
              const preset = outlookColor(category.color);
              return (
                <Button
                  key={category.id}
                  size="small"
                  className={styles.chip}
                  aria-pressed={on}
                  data-testid={`team-chip-${category.name}`}
                  icon={on ? <DismissRegular /> : <AddRegular />}
                  iconPosition="after"
                  style={on ? { backgroundColor: preset?.fill, color: preset?.text } : undefined}
                  aria-label={
                    on
                      ? t('team.removeCategory', { name: category.name })
                      : t('team.addCategory', { name: category.name })
                  }
                  onClick={() =>
                    void act(() =>
                      on
                        ? api.removeCategory(team.id, mail.id, category.id)
                        : api.addCategory(team.id, mail.id, category.id),
                    )
                  }
                >
                  {category.name}
                </Button>
              );
            })}
          </div>
        )}
      </div>
      <div className={styles.row}>
        <Field label={t('team.assignee')}>
          <Select
            value={mail.assignee?.userId ?? ''}
            data-testid="team-assignee"
            onChange={(_e, d) =>
              void act(() =>
                api.update(team.id, mail.id, { assigneeUserId: d.value === '' ? null : d.value }),
              )
            }
          >
            <option value="">{t('team.nobody')}</option>
            {team.members.map((member) => (
              <option key={member.userId} value={member.userId}>
                {member.displayName}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('team.status')}>
          <Select
            value={mail.status}
            data-testid="team-status"
            onChange={(_e, d) =>
              void act(() => api.update(team.id, mail.id, { status: d.value as TeamStatus }))
            }
          >
            {(['open', 'pending', 'done'] as const).map((status) => (
              <option key={status} value={status}>
                {t(`team.statuses.${status}`)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div>
        <Subtitle2 as="h2">{t('team.notes')}</Subtitle2>
        {mail.notes.length === 0 ? <Text>{t('team.noNotes')}</Text> : null}
        <ul className={styles.notes} data-testid="team-notes">
          {mail.notes.map((note) => (
            <li key={note.id} className={styles.note} data-testid="team-note">
              <div className={styles.noteHead}>
                <Text weight="semibold">{note.author.displayName}</Text>
                <Caption1>
                  {formatDateTime(note.updatedAt, i18n.language)}
                  {note.version > 1 ? ` · ${t('team.edited')}` : ''}
                </Caption1>
                {note.mentions.includes(me.userId) ? (
                  <Badge appearance="tint" color="brand" size="small">
                    {t('team.mentionsYou')}
                  </Badge>
                ) : null}
              </div>
              {conflict?.noteId === note.id ? (
                <ErrorBar testId="team-note-conflict">{t('team.conflict')}</ErrorBar>
              ) : null}
              {editing === note.id ? (
                <NoteEditor
                  team={team}
                  initial={conflict?.noteId === note.id ? conflict.text : note.text}
                  label={t('team.edit')}
                  submit={t('team.save')}
                  testId="team-note-edit"
                  onSubmit={(text, mentions) => saveEdit(note, text, mentions)}
                  onCancel={() => {
                    setEditing(null);
                    setConflict(null);
                  }}
                />
              ) : (
                <>
                  {/* Plain text: React escapes it, nothing in a note is ever markup. */}
                  <Text className={styles.noteText}>{note.text}</Text>
                  <div>
                    <Button size="small" appearance="subtle" onClick={() => setEditing(note.id)}>
                      {t('team.edit')}
                    </Button>
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
        <NoteEditor
          team={team}
          initial=""
          label={t('team.newNote')}
          submit={t('team.addNote')}
          testId="team-new-note"
          onSubmit={(text, mentions) => act(() => api.addNote(team.id, mail.id, { text, mentions }))}
        />
      </div>
      <div>
        <Subtitle2 as="h2">{t('team.history')}</Subtitle2>
        <ul className={styles.history} data-testid="team-history">
          {mail.history.map((entry) => (
            <li key={entry.id}>
              <Caption1>{formatDateTime(entry.at, i18n.language)}</Caption1>{' '}
              {t(`team.actions.${entry.action}`, {
                actor: entry.actor,
                value:
                  entry.action === 'status_changed' && entry.value
                    ? t(`team.statuses.${entry.value as TeamStatus}`)
                    : (entry.value ?? ''),
              })}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
