import { Spinner, type SpinnerProps } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';

/**
 * Fluent's spinner is a `progressbar`; without a name a screen reader announces an unnamed
 * progress bar (axe: aria-progressbar-name). Every spinner in the product is this one, so each
 * says "Loading…" in the reader's language unless it shows a label of its own.
 */
export function LoadingSpinner({ size = 'small', label }: Pick<SpinnerProps, 'size'> & { label?: string }) {
  const { t } = useTranslation();
  return label ? <Spinner size={size} label={label} /> : <Spinner size={size} aria-label={t('loading')} />;
}
