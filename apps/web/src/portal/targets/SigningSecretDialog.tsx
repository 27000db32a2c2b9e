import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';

const useStyles = makeStyles({
  form: { display: 'grid', gap: tokens.spacingVerticalM, gridTemplateColumns: 'minmax(0, 1fr)' },
});

/** A signing secret just made: shown once, then forgotten by the page too (`onClose` drops it). */
export function SigningSecretDialog({
  shown,
  onClose,
}: {
  shown: { title: string; secret: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <Dialog open={shown !== null} modalType="alert">
      <DialogSurface data-testid="signing-secret-dialog">
        <DialogBody>
          <DialogTitle>{t('targets.secret.title', { title: shown?.title ?? '' })}</DialogTitle>
          <DialogContent className={styles.form}>
            <Text>{t('targets.secret.body')}</Text>
            <Field label={t('targets.secret.label')}>
              <Input
                readOnly
                value={shown?.secret ?? ''}
                onFocus={(event) => event.target.select()}
                data-testid="signing-secret"
              />
            </Field>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onClose}>
              {t('targets.secret.close')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
