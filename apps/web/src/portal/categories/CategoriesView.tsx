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
  Radio,
  RadioGroup,
  tokens,
} from '@fluentui/react-components';
import {
  AddRegular,
  ArrowDownRegular,
  ArrowUpRegular,
  DeleteRegular,
  EditRegular,
} from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { OUTLOOK_CATEGORY_COLORS } from '../../ui/category-colors.js';
import { ErrorBar, LoadState, useLoad } from '../../ui/data-view.js';
import { ConfirmDialog } from '../../ui/dialog.js';
import { Section } from '../../ui/layout.js';
import {
  type Category,
  createCategory,
  deleteCategory,
  fetchCategories,
  reorderCategories,
  updateCategory,
} from '../targets/targets-api.js';
import { CategoryChip } from './CategoryChip.js';

const useStyles = makeStyles({
  list: { listStyleType: 'none', padding: 0, margin: 0, display: 'grid', gap: tokens.spacingVerticalXS },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  spacer: { flexGrow: 1 },
  swatches: {
    display: 'grid',
    gridTemplateColumns: 'repeat(5, max-content)',
    gap: tokens.spacingHorizontalS,
  },
  form: { display: 'grid', gap: tokens.spacingVerticalM },
  moduleTitle: { marginTop: tokens.spacingVerticalM },
});

type Draft = { id: string | null; module: 'transfer' | 'team'; en: string; de: string; color: string };

/** Tenant administrators: categories with Outlook's colours, names in EN and DE, order per module. */
export function CategoriesView({ onError }: { onError: (error: unknown) => void }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const loaded = useLoad(fetchCategories, onError);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [deleting, setDeleting] = useState<Category | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const lang = i18n.language === 'de' ? 'de' : 'en';

  async function run(action: () => Promise<unknown>) {
    setFailure(null);
    try {
      await action();
      loaded.reload();
      return true;
    } catch (error) {
      setFailure(errorMessage(error));
      onError(error);
      return false;
    }
  }

  async function save() {
    if (!draft) return;
    const body = { module: draft.module, name: { en: draft.en, de: draft.de }, color: draft.color };
    if (await run(() => (draft.id ? updateCategory(draft.id, body) : createCategory(body)))) setDraft(null);
  }

  return (
    <Section
      title={t('categories.title')}
      labelId="categories-title"
      actions={
        <Button
          icon={<AddRegular />}
          onClick={() => setDraft({ id: null, module: 'transfer', en: '', de: '', color: 'preset7' })}
        >
          {t('categories.add')}
        </Button>
      }
    >
      {failure ? <ErrorBar>{t('targets.failed', { message: failure })}</ErrorBar> : null}
      <LoadState loaded={loaded} loadFailed={(message) => t('portal.loadFailed', { message })}>
        {(categories) =>
          categories.length === 0 ? (
            <p>{t('categories.empty')}</p>
          ) : (
            (['transfer', 'team'] as const).map((module) => {
              const list = categories.filter((c) => c.module === module);
              if (list.length === 0) return null;
              const move = (index: number, by: number) => {
                const ids = list.map((c) => c.id);
                const [moved] = ids.splice(index, 1);
                if (moved) ids.splice(index + by, 0, moved);
                void run(() => reorderCategories(module, ids));
              };
              return (
                <div key={module}>
                  <h3 className={styles.moduleTitle}>{t(`categories.modules.${module}`)}</h3>
                  <ul className={styles.list} data-testid={`categories-${module}`}>
                    {list.map((category, index) => (
                      <li key={category.id} className={styles.row} data-testid="category-row">
                        <CategoryChip name={category.name[lang]} color={category.color} />
                        <span className={styles.spacer} />
                        <Button
                          size="small"
                          appearance="subtle"
                          icon={<ArrowUpRegular />}
                          disabled={index === 0}
                          aria-label={t('categories.up', { name: category.name[lang] })}
                          onClick={() => move(index, -1)}
                        />
                        <Button
                          size="small"
                          appearance="subtle"
                          icon={<ArrowDownRegular />}
                          disabled={index === list.length - 1}
                          aria-label={t('categories.down', { name: category.name[lang] })}
                          onClick={() => move(index, 1)}
                        />
                        <Button
                          size="small"
                          icon={<EditRegular />}
                          onClick={() =>
                            setDraft({
                              id: category.id,
                              module: category.module,
                              en: category.name.en,
                              de: category.name.de,
                              color: category.color,
                            })
                          }
                        >
                          {t('categories.edit')}
                        </Button>
                        <Button size="small" icon={<DeleteRegular />} onClick={() => setDeleting(category)}>
                          {t('categories.delete')}
                        </Button>
                      </li>
                    ))}
                  </ul>
                </div>
              );
            })
          )
        }
      </LoadState>
      <Dialog open={draft !== null} onOpenChange={(_e, data) => (data.open ? null : setDraft(null))}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>{draft?.id ? t('categories.editTitle') : t('categories.createTitle')}</DialogTitle>
            <DialogContent className={styles.form}>
              <Field label={t('categories.nameEn')} required>
                <Input
                  value={draft?.en ?? ''}
                  onChange={(_e, d) => draft && setDraft({ ...draft, en: d.value })}
                />
              </Field>
              <Field label={t('categories.nameDe')} required>
                <Input
                  value={draft?.de ?? ''}
                  onChange={(_e, d) => draft && setDraft({ ...draft, de: d.value })}
                />
              </Field>
              <Field label={t('categories.module')}>
                <RadioGroup
                  value={draft?.module ?? 'transfer'}
                  onChange={(_e, d) =>
                    draft && setDraft({ ...draft, module: d.value === 'team' ? 'team' : 'transfer' })
                  }
                >
                  <Radio value="transfer" label={t('categories.modules.transfer')} />
                  <Radio value="team" label={t('categories.modules.team')} />
                </RadioGroup>
              </Field>
              <Field label={t('categories.color')}>
                <RadioGroup
                  className={styles.swatches}
                  layout="horizontal"
                  value={draft?.color ?? 'preset0'}
                  onChange={(_e, d) => draft && setDraft({ ...draft, color: d.value })}
                >
                  {OUTLOOK_CATEGORY_COLORS.map((color) => (
                    <Radio
                      key={color.preset}
                      value={color.preset}
                      aria-label={color.name[lang]}
                      label={<CategoryChip name={color.name[lang]} color={color.preset} />}
                    />
                  ))}
                </RadioGroup>
              </Field>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => void save()}>
                {t('targets.save')}
              </Button>
              <Button onClick={() => setDraft(null)}>{t('targets.cancel')}</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title={t('categories.deleteTitle')}
        confirm={t('categories.delete')}
        dismiss={t('targets.cancel')}
        onConfirm={() => {
          const category = deleting;
          setDeleting(null);
          if (category) void run(() => deleteCategory(category.id));
        }}
        onDismiss={() => setDeleting(null)}
      >
        {t('categories.deleteBody', { name: deleting?.name[lang] ?? '' })}
      </ConfirmDialog>
    </Section>
  );
}
