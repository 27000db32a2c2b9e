import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  Radio,
  RadioGroup,
  tokens,
} from '@fluentui/react-components';
import type { VisibilityEntry } from '@mailissa/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { ErrorBar } from '../../ui/data-view.js';
import { DirectoryPicker } from '../directory/DirectoryPicker.js';
import { type AdminTarget, setVisibility } from './targets-api.js';

const useStyles = makeStyles({
  form: { display: 'grid', gap: tokens.spacingVerticalM },
});

/** User administrators: everyone, or chosen users and groups found by searching the directory. */
export function VisibilityDialog({
  target,
  onClose,
  onSaved,
}: {
  target: AdminTarget;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const [everyone, setEveryone] = useState(target.visibility.everyone);
  const [entries, setEntries] = useState<VisibilityEntry[]>(target.visibility.entries);
  const [failure, setFailure] = useState<string | null>(null);
  const title = i18n.language === 'de' ? target.title.de : target.title.en;

  async function save() {
    setFailure(null);
    try {
      await setVisibility(target.id, { everyone, entries: everyone ? [] : entries });
      onSaved();
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }

  return (
    <Dialog open onOpenChange={(_e, data) => (data.open ? null : onClose())}>
      <DialogSurface data-testid="visibility-dialog">
        <DialogBody>
          <DialogTitle>{t('targets.visibility.title', { title })}</DialogTitle>
          <DialogContent className={styles.form}>
            {failure ? <ErrorBar>{t('targets.failed', { message: failure })}</ErrorBar> : null}
            <RadioGroup
              value={everyone ? 'everyone' : 'chosen'}
              onChange={(_e, d) => setEveryone(d.value === 'everyone')}
            >
              <Radio value="everyone" label={t('targets.visibility.everyone')} />
              <Radio value="chosen" label={t('targets.visibility.chosen')} />
            </RadioGroup>
            {everyone ? null : (
              <DirectoryPicker
                entries={entries}
                onChange={setEntries}
                label={t('targets.visibleTo')}
                noneText={t('targets.visibility.none')}
                onFailure={setFailure}
                testIdPrefix="directory"
              />
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={() => void save()} data-testid="visibility-save">
              {t('targets.save')}
            </Button>
            <Button onClick={onClose}>{t('targets.cancel')}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
