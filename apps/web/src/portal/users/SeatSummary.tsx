import { Caption1, makeStyles, Text, tokens } from '@fluentui/react-components';
import type { LicensedModule, SeatOverview } from '@mailissa/contracts';
import { useTranslation } from 'react-i18next';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXL },
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    minWidth: '240px',
    flex: '1 1 240px',
  },
  usage: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  bar: {
    height: '6px',
    borderRadius: tokens.borderRadiusCircular,
    backgroundColor: tokens.colorNeutralBackground5,
    overflow: 'hidden',
  },
  fill: { height: '100%', backgroundColor: tokens.colorBrandBackground },
  full: { backgroundColor: tokens.colorPaletteRedBackground3 },
  chart: { width: '100%', height: '56px', display: 'block' },
});

const CHART_DAYS = 90;

/**
 * "7 of 15 Transfer" per module with a bar, and a small line chart of assigned licences per day
 * (daily snapshots, today live), drawn as SVG: no chart library for one line.
 */
export function SeatSummary({ overview }: { overview: SeatOverview }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const name = (module: LicensedModule) => t(`portal.licence.${module}`);
  return (
    <div className={styles.row} data-testid="seat-summary">
      {overview.modules.map((usage) => {
        const share = usage.seats === 0 ? 0 : Math.min(1, usage.assigned / usage.seats);
        const points = overview.history.filter((point) => point.module === usage.module);
        return (
          <div key={usage.module} className={styles.card}>
            <Text className={styles.usage} data-testid={`seats-${usage.module}`}>
              {t('admin.seats.usage', {
                assigned: usage.assigned,
                seats: usage.seats,
                module: name(usage.module),
              })}
            </Text>
            <div className={styles.bar} aria-hidden="true">
              <div
                className={`${styles.fill} ${share >= 1 ? styles.full : ''}`}
                style={{ width: `${Math.round(share * 100)}%` }}
              />
            </div>
            <UsageChart
              points={points}
              title={t('admin.seats.chartTitle', { module: name(usage.module), days: CHART_DAYS })}
              summary={t('admin.seats.chartSummary', {
                module: name(usage.module),
                first: points[0]?.assigned ?? 0,
                last: points[points.length - 1]?.assigned ?? 0,
                seats: usage.seats,
              })}
              className={styles.chart}
            />
            <Caption1>
              {t('admin.seats.chartTitle', { module: name(usage.module), days: CHART_DAYS })}
            </Caption1>
          </div>
        );
      })}
    </div>
  );
}

function UsageChart({
  points,
  title,
  summary,
  className,
}: {
  points: Array<{ day: string; assigned: number; seats: number }>;
  title: string;
  summary: string;
  className: string;
}) {
  const width = 240;
  const height = 56;
  const max = Math.max(1, ...points.map((point) => Math.max(point.seats, point.assigned)));
  const first = points[0] ? Date.parse(points[0].day) : 0;
  const last = points[points.length - 1] ? Date.parse(points[points.length - 1]?.day ?? '') : 0;
  const span = Math.max(1, last - first);
  const x = (day: string) => (points.length < 2 ? width : ((Date.parse(day) - first) / span) * width);
  const y = (value: number) => height - 2 - (value / max) * (height - 4);
  const line = points.map((point) => `${x(point.day).toFixed(1)},${y(point.assigned).toFixed(1)}`).join(' ');
  const seatLine =
    points.length === 1
      ? `0,${y(points[0]?.seats ?? 0)} ${width},${y(points[0]?.seats ?? 0)}`
      : points.map((point) => `${x(point.day).toFixed(1)},${y(point.seats).toFixed(1)}`).join(' ');
  return (
    <svg className={className} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img">
      <title>{title}</title>
      <desc>{summary}</desc>
      <polyline points={seatLine} fill="none" stroke={tokens.colorNeutralStroke1} strokeDasharray="4 3" />
      {/* One day of data yet: a flat line at today's value rather than a lone dot. */}
      <polyline
        points={
          points.length === 1
            ? `0,${y(points[0]?.assigned ?? 0)} ${width},${y(points[0]?.assigned ?? 0)}`
            : line
        }
        fill="none"
        stroke={tokens.colorBrandForeground1}
        strokeWidth="2"
      />
    </svg>
  );
}
