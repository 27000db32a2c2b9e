import { makeStyles, tokens } from '@fluentui/react-components';
import { outlookColor } from '../../ui/category-colors.js';

const useStyles = makeStyles({
  chip: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    padding: `0 ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusMedium,
    fontSize: tokens.fontSizeBase200,
    lineHeight: tokens.lineHeightBase300,
    whiteSpace: 'nowrap',
  },
});

/** A category as Outlook draws it: its name on the preset's colour. */
export function CategoryChip({ name, color }: { name: string; color: string }) {
  const styles = useStyles();
  const preset = outlookColor(color);
  return (
    <span className={styles.chip} style={{ backgroundColor: preset?.fill, color: preset?.text }}>
      {name}
    </span>
  );
}
