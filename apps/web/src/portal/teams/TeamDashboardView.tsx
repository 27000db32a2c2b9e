import { makeStyles, Subtitle2, Text, tokens } from '@fluentui/react-components';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadState, useLoad } from '../../ui/data-view.js';
import { CategoryChip } from '../categories/CategoryChip.js';
import { fetchTeamDashboard, type TeamDashboard } from './teams-api.js';

const useStyles = makeStyles({
  board: { display: 'grid', gap: tokens.spacingVerticalM, marginTop: tokens.spacingVerticalM },
  counts: { display: 'flex', gap: tokens.spacingHorizontalXL, flexWrap: 'wrap' },
  count: { display: 'flex', flexDirection: 'column' },
  figure: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold },
  table: { borderCollapse: 'collapse', '& td, & th': { padding: `2px ${tokens.spacingHorizontalM}` } },
  legend: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'center' },
  swatch: { display: 'inline-block', width: '10px', height: '10px', marginRight: '4px' },
});

const SEEN = '#0f6cbd';
const DONE = '#107c10';

/** A duration in the largest unit that keeps it readable: minutes, hours (under two days), days. */
function durationParts(seconds: number): { unit: 'minutes' | 'hours' | 'days'; count: number } {
  if (seconds < 3600) return { unit: 'minutes', count: Math.max(1, Math.round(seconds / 60)) };
  if (seconds < 48 * 3600) return { unit: 'hours', count: Math.round(seconds / 360) / 10 };
  return { unit: 'days', count: Math.round(seconds / 8640) / 10 };
}

/** Per day two bars (first seen, done); a plain SVG, no chart library. */
function DaysChart({ days, label }: { days: TeamDashboard['days']; label: string }) {
  const width = 600;
  const height = 120;
  const max = Math.max(1, ...days.map((d) => Math.max(d.seen, d.done)));
  const slot = width / Math.max(1, days.length);
  const bar = Math.max(1, slot / 2 - 1);
  return (
    <svg
      viewBox={`0 0 ${width} ${height + 14}`}
      role="img"
      aria-label={label}
      data-testid="team-chart"
      style={{ width: '100%', maxWidth: `${width}px` }}
    >
      {days.map((day, index) => {
        const x = index * slot;
        const seen = (day.seen / max) * height;
        const done = (day.done / max) * height;
        return (
          <g key={day.day}>
            <title>{`${day.day}: ${day.seen} / ${day.done}`}</title>
            <rect x={x} y={height - seen} width={bar} height={seen} fill={SEEN} />
            <rect x={x + bar + 1} y={height - done} width={bar} height={done} fill={DONE} />
          </g>
        );
      })}
      <line x1={0} x2={width} y1={height + 0.5} y2={height + 0.5} stroke="#8a8886" />
      <text x={0} y={height + 12} fontSize={10}>
        {days[0]?.day}
      </text>
      <text x={width} y={height + 12} fontSize={10} textAnchor="end">
        {days.at(-1)?.day}
      </text>
    </svg>
  );
}

/** A team's figures for administrators: counts, per category and assignee, 30 days, median to done. */
export function TeamDashboardView({
  teamId,
  onError,
}: {
  teamId: string;
  onError: (error: unknown) => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const lang = i18n.language === 'de' ? 'de' : 'en';
  const load = useCallback(() => fetchTeamDashboard(teamId), [teamId]);
  const loaded = useLoad(load, onError);
  const statuses = ['open', 'pending', 'done'] as const;
  return (
    <LoadState loaded={loaded} loadFailed={(message) => t('portal.loadFailed', { message })}>
      {(board) => (
        <div className={styles.board} data-testid="team-dashboard">
          <Subtitle2>{t('teams.board.title', { name: board.team.name })}</Subtitle2>
          <div className={styles.counts}>
            {statuses.map((status) => (
              <div key={status} className={styles.count} data-testid={`team-count-${status}`}>
                <span className={styles.figure}>{board.counts[status]}</span>
                <Text>{t(`teams.board.${status}`)}</Text>
              </div>
            ))}
          </div>
          <Text data-testid="team-median">
            {board.medianSecondsToDone === null
              ? t('teams.board.medianNone')
              : t('teams.board.median', {
                  time: (({ unit, count }) => t(`teams.board.${unit}`, { count }))(
                    durationParts(board.medianSecondsToDone),
                  ),
                })}
          </Text>
          <div>
            <Subtitle2 as="h3">{t('teams.board.chart')}</Subtitle2>
            <div className={styles.legend}>
              <span>
                <span className={styles.swatch} style={{ backgroundColor: SEEN }} />
                {t('teams.board.seen')}
              </span>
              <span>
                <span className={styles.swatch} style={{ backgroundColor: DONE }} />
                {t('teams.board.done')}
              </span>
            </div>
            <DaysChart days={board.days} label={t('teams.board.chartLabel')} />
          </div>
          {[
            {
              title: t('teams.board.byCategory'),
              rows: board.byCategory.map((c) => ({
                key: c.categoryId,
                label: <CategoryChip name={c.name[lang]} color={c.color} />,
                counts: c.counts,
              })),
            },
            {
              title: t('teams.board.byAssignee'),
              rows: board.byAssignee.map((a) => ({
                key: a.userId ?? 'none',
                label: a.displayName ?? t('teams.board.unassigned'),
                counts: a.counts,
              })),
            },
          ].map((table) => (
            <div key={table.title}>
              <Subtitle2 as="h3">{table.title}</Subtitle2>
              {table.rows.length === 0 ? (
                <Text>{t('teams.board.nothing')}</Text>
              ) : (
                <table className={styles.table}>
                  <thead>
                    <tr>
                      <th />
                      {statuses.map((status) => (
                        <th key={status}>{t(`teams.board.${status}`)}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {table.rows.map((row) => (
                      <tr key={row.key}>
                        <td>{row.label}</td>
                        {statuses.map((status) => (
                          <td key={status}>{row.counts[status]}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          ))}
        </div>
      )}
    </LoadState>
  );
}
