import {
  Button,
  Caption1,
  Field,
  makeStyles,
  SearchBox,
  Select,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { outlookColor } from '../../ui/category-colors.js';
import { ErrorBar } from '../../ui/data-view.js';
import { formatDateTime } from '../../ui/layout.js';
import { LoadingSpinner } from '../../ui/loading-spinner';
import type { OfficeApi } from '../office-api.js';
import type { MyTeam, TeamApi, TeamEvent, TeamMailSummary, TeamStatus } from './team-api.js';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  filters: { display: 'grid', gridTemplateColumns: '1fr 1fr', gap: tokens.spacingHorizontalS },
  mails: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalXS },
  mail: {
    display: 'grid',
    justifyItems: 'start',
    textAlign: 'left',
    width: '100%',
    padding: tokens.spacingHorizontalS,
    fontWeight: tokens.fontWeightRegular,
  },
  line: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap', alignItems: 'center' },
  dot: { display: 'inline-block', width: '8px', height: '8px', borderRadius: '50%' },
  ellipsis: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', maxWidth: '100%' },
});

/** Office.js `displayMessageForm` (Mailbox 1.0); typed here, as the add-in needs it only for the list. */
type MailboxWithForms = OfficeApi['context']['mailbox'] & { displayMessageForm?: (itemId: string) => void };

/** The team's mails: filter by status, category and assignee, search; choosing one opens it in Outlook. */
export function TeamList({
  api,
  team,
  office,
  events,
}: {
  api: TeamApi;
  team: MyTeam;
  office: OfficeApi;
  events: (listener: (event: TeamEvent) => void) => () => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const [status, setStatus] = useState<TeamStatus | ''>('open');
  const [categoryId, setCategoryId] = useState('');
  const [assignee, setAssignee] = useState('');
  const [q, setQ] = useState('');
  const [mails, setMails] = useState<TeamMailSummary[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const mailbox = office.context.mailbox as MailboxWithForms;
  const canOpen = typeof mailbox.displayMessageForm === 'function';

  const load = useCallback(() => {
    api
      .list(team.id, {
        ...(status ? { status } : {}),
        ...(categoryId ? { categoryId } : {}),
        ...(assignee ? { assignee } : {}),
        ...(q.trim() ? { q: q.trim() } : {}),
      })
      .then(
        (list) => {
          setMails(list);
          setFailure(null);
        },
        (error: unknown) => setFailure(errorMessage(error)),
      );
  }, [api, team.id, status, categoryId, assignee, q]);

  useEffect(() => {
    const timer = setTimeout(load, 200);
    return () => clearTimeout(timer);
  }, [load]);
  useEffect(() => events(() => load()), [events, load]);

  async function open(mail: TeamMailSummary) {
    try {
      const restId = await api.itemOf(team.id, mail.id);
      mailbox.displayMessageForm?.(mailbox.convertToEwsId(restId, office.MailboxEnums.RestVersion.v2_0));
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }

  return (
    <div className={styles.list} data-testid="team-list">
      <SearchBox
        placeholder={t('team.list.search')}
        aria-label={t('team.list.search')}
        value={q}
        onChange={(_e, d) => setQ(d.value)}
        data-testid="team-list-search"
      />
      <div className={styles.filters}>
        <Field label={t('team.list.status')}>
          <Select
            value={status}
            onChange={(_e, d) => setStatus(d.value as TeamStatus | '')}
            data-testid="team-list-status"
          >
            <option value="">{t('team.list.any')}</option>
            {(['open', 'pending', 'done'] as const).map((value) => (
              <option key={value} value={value}>
                {t(`team.statuses.${value}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('team.list.assignee')}>
          <Select
            value={assignee}
            onChange={(_e, d) => setAssignee(d.value)}
            data-testid="team-list-assignee"
          >
            <option value="">{t('team.list.any')}</option>
            <option value="me">{t('team.list.mine')}</option>
            {team.members.map((member) => (
              <option key={member.userId} value={member.userId}>
                {member.displayName}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('team.list.category')}>
          <Select
            value={categoryId}
            onChange={(_e, d) => setCategoryId(d.value)}
            data-testid="team-list-category"
          >
            <option value="">{t('team.list.any')}</option>
            {team.categories.map((category) => (
              <option key={category.id} value={category.id}>
                {category.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {failure ? <ErrorBar>{t('team.failed', { message: failure })}</ErrorBar> : null}
      {mails === null ? (
        <LoadingSpinner size="small" />
      ) : mails.length === 0 ? (
        <Text>{t('team.list.empty')}</Text>
      ) : (
        <ul className={styles.mails}>
          {mails.map((mail) => {
            const content = (
              <>
                <Text weight="semibold" className={styles.ellipsis}>
                  {mail.subject}
                </Text>
                <Caption1 className={styles.ellipsis}>
                  {mail.sender.name || mail.sender.address} · {formatDateTime(mail.updatedAt, i18n.language)}
                </Caption1>
                <span className={styles.line}>
                  <Caption1>{t(`team.statuses.${mail.status}`)}</Caption1>
                  {mail.assignee ? <Caption1>· {mail.assignee.displayName}</Caption1> : null}
                  {mail.categoryIds.map((id) => {
                    const category = team.categories.find((c) => c.id === id);
                    return category ? (
                      <span key={id} className={styles.line}>
                        <span
                          className={styles.dot}
                          style={{ backgroundColor: outlookColor(category.color)?.fill }}
                        />
                        <Caption1>{category.name}</Caption1>
                      </span>
                    ) : null;
                  })}
                </span>
              </>
            );
            return (
              <li key={mail.id} data-testid="team-list-mail">
                {canOpen ? (
                  <Button
                    appearance="subtle"
                    className={styles.mail}
                    aria-label={t('team.list.open', { subject: mail.subject })}
                    onClick={() => void open(mail)}
                  >
                    {content}
                  </Button>
                ) : (
                  <div className={styles.mail}>{content}</div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
