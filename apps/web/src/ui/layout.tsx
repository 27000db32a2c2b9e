import {
  Button,
  Caption1,
  makeStyles,
  Subtitle1,
  Text,
  Title3,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { LocalLanguageRegular, SignOutRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type Language, rememberLanguage } from './i18n.js';
import { LoadingSpinner } from './loading-spinner';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    minHeight: '48px',
    boxSizing: 'border-box',
  },
  brand: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, fontWeight: 600 },
  logo: {
    width: '24px',
    height: '24px',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorBrandForeground1,
    display: 'grid',
    placeItems: 'center',
    fontWeight: 700,
    fontSize: '14px',
  },
  spacer: { flexGrow: 1 },
  onBrandButton: {
    color: tokens.colorNeutralForegroundOnBrand,
    ':hover': {
      color: tokens.colorNeutralForegroundOnBrand,
      backgroundColor: tokens.colorBrandBackgroundHover,
    },
    ':hover:active': {
      color: tokens.colorNeutralForegroundOnBrand,
      backgroundColor: tokens.colorBrandBackgroundPressed,
    },
  },
  headerEnd: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  user: { display: 'flex', flexDirection: 'column', alignItems: 'flex-end', lineHeight: 1.2 },
  onBrand: { color: tokens.colorNeutralForegroundOnBrand },
  page: {
    // Full width up to the maximum, so switching tabs with narrower content does not move the page.
    width: '100%',
    boxSizing: 'border-box',
    maxWidth: '1120px',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXL}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
  },
  status: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    textAlign: 'center',
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalXXXL} ${tokens.spacingHorizontalXL}`,
    maxWidth: '520px',
    margin: '0 auto',
  },
  statusBody: {
    ...typographyStyles.body1,
    color: tokens.colorNeutralForeground2,
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalM,
    '& p': { margin: 0 },
  },
  statusIcon: { fontSize: '40px', color: tokens.colorBrandForeground1 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', justifyContent: 'center' },
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    padding: tokens.spacingHorizontalL,
  },
  sectionHeader: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  sectionTitle: { margin: 0 },
});

/** The product mark: a small square with an "M", drawn in CSS so no image is fetched. */
export function ProductMark() {
  const styles = useStyles();
  return (
    <span className={styles.logo} aria-hidden="true">
      M
    </span>
  );
}

/** The brand bar at the top of a full-page surface (portal, operator, emulator). */
export function AppHeader({ title, children }: { title: string; children?: ReactNode }) {
  const styles = useStyles();
  return (
    <header className={styles.header}>
      <span className={styles.brand}>
        <ProductMark />
        <span>{title}</span>
      </span>
      <span className={styles.spacer} />
      <span className={styles.headerEnd}>{children}</span>
    </header>
  );
}

/** Who is signed in, for the brand bar: the name and, below it, e.g. the organisation. */
export function HeaderUser({ name, detail, testId }: { name: string; detail?: string; testId: string }) {
  const styles = useStyles();
  return (
    <span className={styles.user}>
      <Text weight="semibold" className={styles.onBrand} data-testid={testId}>
        {name}
      </Text>
      {detail === undefined ? null : <Caption1 className={styles.onBrand}>{detail}</Caption1>}
    </span>
  );
}

/**
 * The sign-out button of the brand bar. `iconOnly` where space is short (the emulator); the label
 * then becomes the button's accessible name and tooltip.
 */
export function HeaderSignOutButton({
  label,
  onClick,
  testId,
  iconOnly = false,
}: {
  label: string;
  onClick: () => void;
  testId?: string;
  iconOnly?: boolean;
}) {
  const styles = useStyles();
  return iconOnly ? (
    <Button
      appearance="transparent"
      icon={<SignOutRegular className={styles.onBrand} />}
      aria-label={label}
      title={label}
      onClick={onClick}
      data-testid={testId}
    />
  ) : (
    <Button
      appearance="transparent"
      icon={<SignOutRegular className={styles.onBrand} />}
      onClick={onClick}
      data-testid={testId}
    >
      <span className={styles.onBrand}>{label}</span>
    </Button>
  );
}

export function Page({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return <main className={styles.page}>{children}</main>;
}

/** A card-like block with a heading, for one topic on a page. */
export function Section({
  title,
  actions,
  children,
  labelId,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  labelId?: string;
}) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-labelledby={labelId}>
      <div className={styles.sectionHeader}>
        <Subtitle1 as="h2" id={labelId} className={styles.sectionTitle}>
          {title}
        </Subtitle1>
        <span className={styles.spacer} />
        {actions}
      </div>
      {children}
    </section>
  );
}

/**
 * One full-screen state (signing in, no subscription, not allowed, …): an icon or spinner, a title,
 * an explanation and actions. Each state of a surface gets a clear screen of its own.
 */
export function StatusScreen({
  busy,
  icon,
  title,
  children,
  actions,
  testId,
}: {
  busy?: boolean;
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  testId?: string;
}) {
  const styles = useStyles();
  return (
    <div className={styles.status} role={busy ? 'status' : undefined} data-testid={testId}>
      {busy ? (
        <LoadingSpinner size="large" />
      ) : icon ? (
        <span className={styles.statusIcon}>{icon}</span>
      ) : null}
      <Title3 as="h1">{title}</Title3>
      {children ? <div className={styles.statusBody}>{children}</div> : null}
      {actions ? <div className={styles.actions}>{actions}</div> : null}
    </div>
  );
}

/**
 * Switches the surface's language between English and German and remembers the choice. `onBrand`
 * for use in the brand-coloured header.
 */
export function LanguageSwitcher({ onBrand = true }: { onBrand?: boolean }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const current: Language = i18n.language === 'de' ? 'de' : 'en';
  const next: Language = current === 'de' ? 'en' : 'de';
  return (
    <Button
      appearance={onBrand ? 'transparent' : 'subtle'}
      size="small"
      className={onBrand ? styles.onBrandButton : undefined}
      icon={<LocalLanguageRegular />}
      lang={next}
      title={t('common.language')}
      onClick={() => {
        rememberLanguage(next);
        void i18n.changeLanguage(next);
      }}
    >
      {next === 'de' ? t('common.german') : t('common.english')}
    </Button>
  );
}

/** Formats a date and time in the surface's language. */
export function formatDateTime(iso: string | null | undefined, language: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

/** "today 10:42", "yesterday 09:05" or "3 Mar 2026, 14:00", for lists of recent events. */
export function formatRelativeDay(
  iso: string,
  language: string,
  words: { today: string; yesterday: string },
  now: Date = new Date(),
): string {
  const date = new Date(iso);
  const locale = language === 'de' ? 'de-DE' : 'en-GB';
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date);
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const day = 24 * 60 * 60 * 1000;
  if (date.getTime() >= startOfToday) return `${words.today} ${time}`;
  if (date.getTime() >= startOfToday - day) return `${words.yesterday} ${time}`;
  return formatDateTime(iso, language);
}

export function formatBytes(bytes: number, language: string): string {
  const locale = language === 'de' ? 'de-DE' : 'en-GB';
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

/**
 * The formatters above, bound to the surface's current language, so views need not pass
 * `i18n.language` to every call (and re-render when the language changes).
 */
export function useFormat() {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return {
    dateTime: (iso: string | null | undefined) => formatDateTime(iso, language),
    bytes: (bytes: number) => formatBytes(bytes, language),
  };
}
