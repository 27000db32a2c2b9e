import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Radio,
  RadioGroup,
  SearchBox,
  Text,
} from '@fluentui/react-components';
import type { DirectoryGroups } from '@mailissa/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../ui/api-client.js';
import { LoadingSpinner } from '../../ui/loading-spinner';
import { searchGroups } from '../admin/admin-api.js';
import { useDebounced } from './use-debounced.js';

/**
 * Picks a directory group by searching Graph through the portal API; on confirm every (transitive)
 * member gets the chosen licence.
 */
export function GroupAssignDialog({
  open,
  moduleName,
  onConfirm,
  onClose,
  onError,
}: {
  open: boolean;
  moduleName: string;
  onConfirm: (groupId: string) => void;
  onClose: () => void;
  onError: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const search = useDebounced(text.trim(), 300);
  const [groups, setGroups] = useState<DirectoryGroups['groups'] | null>(null);
  const [chosen, setChosen] = useState('');

  useEffect(() => {
    if (search.length < 2) {
      setGroups(null);
      return;
    }
    const controller = new AbortController();
    setGroups(null);
    searchGroups(search, controller.signal).then(
      (answer) => setGroups(answer.groups),
      (error: unknown) => {
        if (!(error instanceof DOMException) && !isApiError(error, 'not_found')) onError(error);
      },
    );
    return () => controller.abort();
  }, [search, onError]);

  return (
    <Dialog open={open} onOpenChange={(_event, data) => (data.open ? null : onClose())}>
      <DialogSurface data-testid="group-dialog">
        <DialogBody>
          <DialogTitle>{t('admin.group.title')}</DialogTitle>
          <DialogContent>
            <Field label={t('admin.group.search')} hint={t('admin.group.searchHint')}>
              <SearchBox
                value={text}
                onChange={(_event, data) => setText(data.value)}
                data-testid="group-search"
              />
            </Field>
            {search.length >= 2 && groups === null ? <LoadingSpinner size="tiny" /> : null}
            {groups && groups.length === 0 ? <Text>{t('admin.group.noMatch')}</Text> : null}
            {groups && groups.length > 0 ? (
              <RadioGroup
                aria-label={t('admin.group.search')}
                value={chosen}
                onChange={(_event, data) => setChosen(data.value)}
              >
                {groups.map((group) => (
                  <Radio
                    key={group.id}
                    value={group.id}
                    label={group.displayName}
                    data-testid="group-option"
                  />
                ))}
              </RadioGroup>
            ) : null}
            <Text>{t('admin.group.members')}</Text>
          </DialogContent>
          <DialogActions>
            <Button
              appearance="primary"
              disabled={!chosen}
              onClick={() => onConfirm(chosen)}
              data-testid="group-confirm"
            >
              {t('admin.group.confirm')} ({moduleName})
            </Button>
            <Button onClick={onClose}>{t('admin.group.cancel')}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
