import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Option,
  Text,
  tokens,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import type { SettingFieldDescription } from '@mailissa/contracts';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/api-client.js';
import { DataTable, ErrorBar, LoadState, useLoad } from '../../ui/data-view.js';
import { ConfirmDialog } from '../../ui/dialog.js';
import { Section } from '../../ui/layout.js';
import { CategoryChip } from '../categories/CategoryChip.js';
import { FieldMappingEditor } from './FieldMappingEditor.js';
import { MicrosoftPicker } from './MicrosoftPicker.js';
import { SharePointPicker } from './SharePointPicker.js';
import { SigningSecretDialog } from './SigningSecretDialog.js';
import { TransferOptionsDialog } from './TransferOptionsDialog.js';
import {
  type AdminTarget,
  type Category,
  createTarget,
  deleteTarget,
  fetchCategories,
  fetchConnectors,
  fetchTargets,
  renewSigningSecret,
  testConnection,
  updateTarget,
} from './targets-api.js';
import { VisibilityDialog } from './VisibilityDialog.js';

const useStyles = makeStyles({
  // One column no wider than the dialog: a long message or value wraps instead of widening it.
  form: { display: 'grid', gap: tokens.spacingVerticalM, gridTemplateColumns: 'minmax(0, 1fr)' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  table: { tableLayout: 'auto' },
});

type Connector = Awaited<ReturnType<typeof fetchConnectors>>[number];
interface Loaded {
  targets: AdminTarget[];
  categories: Category[];
  connectors: Connector[];
}

const loadAll = async (): Promise<Loaded> => {
  const [targets, categories, connectors] = await Promise.all([
    fetchTargets(),
    fetchCategories(),
    fetchConnectors(),
  ]);
  return { targets, categories, connectors };
};

interface Draft {
  id: string | null;
  connectorType: string;
  en: string;
  de: string;
  categoryId: string | null;
  settings: Record<string, unknown>;
  /** What the SharePoint picker chose, to show instead of a drive id. */
  pickedLabel: string | null;
}

/** Targets: tenant administrators create, edit, test, switch off and delete; user administrators choose who sees them. */
export function TargetsView({
  roles,
  onError,
}: {
  roles: readonly string[];
  onError: (error: unknown) => void;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const lang = i18n.language === 'de' ? 'de' : 'en';
  const loaded = useLoad(useCallback(loadAll, []), onError);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [picking, setPicking] = useState(false);
  const [test, setTest] = useState<{ ok: boolean; message: string } | null>(null);
  const [visibilityOf, setVisibilityOf] = useState<AdminTarget | null>(null);
  const [optionsOf, setOptionsOf] = useState<AdminTarget | null>(null);
  const [deleting, setDeleting] = useState<AdminTarget | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  /** A signing secret just made: shown once in its own dialog, then forgotten by the page too. */
  const [shownSecret, setShownSecret] = useState<{ title: string; secret: string } | null>(null);
  const [renewing, setRenewing] = useState<AdminTarget | null>(null);
  const tenantAdmin = roles.includes('tenant_administrator');
  const userAdmin = roles.includes('user_administrator');

  async function run(action: () => Promise<unknown>): Promise<boolean> {
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

  function openDraft(target: AdminTarget | null, connectors: Connector[]) {
    setTest(null);
    setPicking(false);
    setFailure(null);
    setDraft(
      target
        ? {
            id: target.id,
            connectorType: target.connectorType,
            en: target.title.en,
            de: target.title.de,
            categoryId: target.categoryId,
            settings: target.settings,
            pickedLabel: null,
          }
        : {
            id: null,
            connectorType: connectors[0]?.type ?? 'sharepoint',
            en: '',
            de: '',
            categoryId: null,
            settings: {},
            pickedLabel: null,
          },
    );
  }

  async function save() {
    if (!draft) return;
    const title = { en: draft.en, de: draft.de };
    const ok = await run(async () => {
      if (draft.id) {
        await updateTarget(draft.id, { title, categoryId: draft.categoryId, settings: draft.settings });
        return;
      }
      const created = await createTarget({
        connectorType: draft.connectorType,
        title,
        categoryId: draft.categoryId,
        settings: draft.settings,
        enabled: true,
      });
      if (created.signingSecret) {
        setShownSecret({ title: created.target.title[lang], secret: created.signingSecret });
      }
    });
    if (ok) setDraft(null);
  }

  async function runTest() {
    if (!draft) return;
    setTest(null);
    try {
      setTest(await testConnection(draft.connectorType, draft.settings));
    } catch (error) {
      setTest({ ok: false, message: errorMessage(error) });
    }
  }

  const pickerOf = (current: Draft) =>
    loaded.data?.connectors.find((c) => c.type === current.connectorType)?.picker ?? null;

  function settingInput(field: SettingFieldDescription, current: Draft) {
    const value = current.settings[field.key];
    const text = typeof value === 'string' ? value : '';
    if (field.kind === 'sharepoint_drive') {
      return (
        <Field key={field.key} label={field.label[lang]} required={field.required}>
          <Text data-testid="picked-folder">
            {current.pickedLabel
              ? t('targets.picker.chosen', { path: current.pickedLabel })
              : text
                ? t('targets.picker.chosen', {
                    path: `${String(current.settings.folderPath ?? '') || t('targets.picker.root')}`,
                  })
                : t('targets.picker.nothing')}
          </Text>
          <Button onClick={() => setPicking((open) => !open)} data-testid="open-picker">
            {t('targets.pick')}
          </Button>
        </Field>
      );
    }
    if (field.kind === 'sharepoint_folder') return null;
    if (field.kind === 'teams_team' || field.kind === 'planner_plan') {
      const label =
        field.kind === 'teams_team'
          ? [current.settings.teamName, current.settings.channelName]
          : [current.settings.planName, current.settings.bucketName];
      const chosen = label.every((part) => typeof part === 'string' && part !== '')
        ? label.join(' / ')
        : null;
      return (
        <Field key={field.key} label={field.label[lang]} required={field.required}>
          <Text data-testid="picked-m365">
            {chosen ? t('targets.m365Picker.chosen', { label: chosen }) : t('targets.picker.nothing')}
          </Text>
          <Button onClick={() => setPicking((open) => !open)} data-testid="open-picker">
            {t('targets.pick')}
          </Button>
        </Field>
      );
    }
    if (field.kind === 'teams_channel' || field.kind === 'planner_bucket') return null;
    if (field.kind === 'field_mapping') {
      return (
        <FieldMappingEditor
          key={field.key}
          field={field}
          value={value}
          onChange={(rows) => setDraft({ ...current, settings: { ...current.settings, [field.key]: rows } })}
        />
      );
    }
    return (
      <Field key={field.key} label={field.label[lang]} required={field.required} hint={field.help?.[lang]}>
        <Input
          type={
            field.kind === 'secret'
              ? 'password'
              : field.kind === 'email' || field.kind === 'url'
                ? field.kind
                : 'text'
          }
          value={text}
          onChange={(_e, d) =>
            setDraft({ ...current, settings: { ...current.settings, [field.key]: d.value } })
          }
        />
      </Field>
    );
  }

  return (
    <Section
      title={t('targets.title')}
      labelId="targets-title"
      actions={
        tenantAdmin && loaded.data ? (
          <Button
            icon={<AddRegular />}
            onClick={() => openDraft(null, loaded.data?.connectors ?? [])}
            data-testid="new-target"
          >
            {t('targets.add')}
          </Button>
        ) : null
      }
    >
      {failure && !draft ? <ErrorBar>{t('targets.failed', { message: failure })}</ErrorBar> : null}
      <LoadState loaded={loaded} loadFailed={(message) => t('portal.loadFailed', { message })}>
        {({ targets, categories, connectors }) => (
          <>
            <DataTable<AdminTarget>
              rows={targets}
              rowKey={(target) => target.id}
              labelId="targets-title"
              empty={t('targets.empty')}
              className={styles.table}
              testId="targets-table"
              rowTestId="target-row"
              columns={[
                {
                  id: 'title',
                  header: t('targets.titleEn').split(' (')[0],
                  cell: (target) => <Text weight="semibold">{target.title[lang]}</Text>,
                },
                {
                  id: 'category',
                  header: t('targets.category'),
                  cell: (target) => {
                    const category = categories.find((c) => c.id === target.categoryId);
                    return category ? (
                      <CategoryChip name={category.name[lang]} color={category.color} />
                    ) : (
                      '—'
                    );
                  },
                },
                {
                  id: 'connector',
                  header: t('targets.connector'),
                  cell: (target) =>
                    connectors.find((c) => c.type === target.connectorType)?.name[lang] ??
                    target.connectorType,
                },
                {
                  id: 'visible',
                  header: t('targets.visibleTo'),
                  cell: (target) =>
                    target.visibility.everyone
                      ? t('targets.everyone')
                      : target.visibility.entries.map((entry) => entry.displayName).join(', ') ||
                        t('targets.chosen', { count: 0 }),
                },
                {
                  id: 'state',
                  header: t('targets.state'),
                  cell: (target) => (
                    <Badge appearance="tint" color={target.enabled ? 'success' : 'subtle'}>
                      {target.enabled ? t('targets.on') : t('targets.off')}
                    </Badge>
                  ),
                },
                {
                  id: 'actions',
                  cell: (target) => (
                    <span className={styles.actions}>
                      {tenantAdmin ? (
                        <>
                          <Button size="small" onClick={() => openDraft(target, connectors)}>
                            {t('targets.edit')}
                          </Button>
                          <Button
                            size="small"
                            onClick={() =>
                              void run(() => updateTarget(target.id, { enabled: !target.enabled }))
                            }
                          >
                            {target.enabled ? t('targets.disable') : t('targets.enable')}
                          </Button>
                          <Button
                            size="small"
                            onClick={() => setOptionsOf(target)}
                            data-testid="target-transfer-options"
                          >
                            {t('targets.transferOptions.button')}
                          </Button>
                        </>
                      ) : null}
                      {tenantAdmin &&
                      connectors.find((c) => c.type === target.connectorType)?.generatesSecret ? (
                        <Button size="small" onClick={() => setRenewing(target)} data-testid="renew-secret">
                          {t('targets.secret.renew')}
                        </Button>
                      ) : null}
                      {userAdmin ? (
                        <Button
                          size="small"
                          onClick={() => setVisibilityOf(target)}
                          data-testid="target-visibility"
                        >
                          {t('targets.visibility.button')}
                        </Button>
                      ) : null}
                      {tenantAdmin ? (
                        <Button size="small" appearance="subtle" onClick={() => setDeleting(target)}>
                          {t('targets.delete')}
                        </Button>
                      ) : null}
                    </span>
                  ),
                },
              ]}
            />
            <Dialog open={draft !== null} onOpenChange={(_e, data) => (data.open ? null : setDraft(null))}>
              <DialogSurface data-testid="target-dialog">
                <DialogBody>
                  <DialogTitle>{draft?.id ? t('targets.editTitle') : t('targets.createTitle')}</DialogTitle>
                  {draft ? (
                    <DialogContent className={styles.form}>
                      {failure ? <ErrorBar>{t('targets.failed', { message: failure })}</ErrorBar> : null}
                      <Field label={t('targets.connector')}>
                        <Dropdown
                          disabled={draft.id !== null}
                          value={connectors.find((c) => c.type === draft.connectorType)?.name[lang] ?? ''}
                          selectedOptions={[draft.connectorType]}
                          onOptionSelect={(_e, d) =>
                            setDraft({
                              ...draft,
                              connectorType: d.optionValue ?? draft.connectorType,
                              settings: {},
                            })
                          }
                        >
                          {connectors.map((connector) => (
                            <Option key={connector.type} value={connector.type}>
                              {connector.name[lang]}
                            </Option>
                          ))}
                        </Dropdown>
                      </Field>
                      <Field label={t('targets.titleEn')} required>
                        <Input
                          value={draft.en}
                          onChange={(_e, d) => setDraft({ ...draft, en: d.value })}
                          data-testid="title-en"
                        />
                      </Field>
                      <Field label={t('targets.titleDe')} required>
                        <Input
                          value={draft.de}
                          onChange={(_e, d) => setDraft({ ...draft, de: d.value })}
                          data-testid="title-de"
                        />
                      </Field>
                      <Field label={t('targets.category')}>
                        <Dropdown
                          value={
                            categories.find((c) => c.id === draft.categoryId)?.name[lang] ??
                            t('targets.noCategory')
                          }
                          selectedOptions={[draft.categoryId ?? '']}
                          onOptionSelect={(_e, d) =>
                            setDraft({ ...draft, categoryId: d.optionValue || null })
                          }
                        >
                          <Option value="">{t('targets.noCategory')}</Option>
                          {categories
                            .filter((c) => c.module === 'transfer')
                            .map((category) => (
                              <Option key={category.id} value={category.id} text={category.name[lang]}>
                                <CategoryChip name={category.name[lang]} color={category.color} />
                              </Option>
                            ))}
                        </Dropdown>
                      </Field>
                      {connectors
                        .find((c) => c.type === draft.connectorType)
                        ?.fields.map((field) => settingInput(field, draft))}
                      {picking && pickerOf(draft) !== 'sharepoint' ? (
                        <MicrosoftPicker
                          mode={pickerOf(draft) === 'planner' ? 'planner' : 'teams_channel'}
                          onChoose={(choice) => {
                            setPicking(false);
                            const { kind: _kind, ...settings } = choice;
                            setDraft({ ...draft, settings: { ...draft.settings, ...settings } });
                          }}
                        />
                      ) : null}
                      {picking && pickerOf(draft) === 'sharepoint' ? (
                        <SharePointPicker
                          onChoose={(choice) => {
                            setPicking(false);
                            setDraft({
                              ...draft,
                              pickedLabel: choice.label,
                              settings: {
                                ...draft.settings,
                                driveId: choice.driveId,
                                folderPath: choice.folderPath,
                              },
                            });
                          }}
                        />
                      ) : null}
                      <div>
                        <Button onClick={() => void runTest()} data-testid="test-connection">
                          {t('targets.testConnection')}
                        </Button>
                      </div>
                      {test ? (
                        <MessageBar intent={test.ok ? 'success' : 'warning'} data-testid="test-result">
                          <MessageBarBody>
                            {test.ok
                              ? t('targets.testOk', { message: test.message })
                              : t('targets.testFailed', { message: test.message })}
                          </MessageBarBody>
                        </MessageBar>
                      ) : null}
                    </DialogContent>
                  ) : null}
                  <DialogActions>
                    <Button appearance="primary" onClick={() => void save()} data-testid="save-target">
                      {t('targets.save')}
                    </Button>
                    <Button onClick={() => setDraft(null)}>{t('targets.cancel')}</Button>
                  </DialogActions>
                </DialogBody>
              </DialogSurface>
            </Dialog>
          </>
        )}
      </LoadState>
      {optionsOf ? <TransferOptionsDialog target={optionsOf} onClose={() => setOptionsOf(null)} /> : null}
      {visibilityOf ? (
        <VisibilityDialog
          target={visibilityOf}
          onClose={() => setVisibilityOf(null)}
          onSaved={() => {
            setVisibilityOf(null);
            loaded.reload();
          }}
        />
      ) : null}
      <SigningSecretDialog shown={shownSecret} onClose={() => setShownSecret(null)} />
      <ConfirmDialog
        open={renewing !== null}
        title={t('targets.secret.renewTitle')}
        confirm={t('targets.secret.renew')}
        dismiss={t('targets.cancel')}
        onConfirm={() => {
          const target = renewing;
          setRenewing(null);
          if (target) {
            void run(async () =>
              setShownSecret({ title: target.title[lang], secret: await renewSigningSecret(target.id) }),
            );
          }
        }}
        onDismiss={() => setRenewing(null)}
      >
        {t('targets.secret.renewBody', { title: renewing ? renewing.title[lang] : '' })}
      </ConfirmDialog>
      <ConfirmDialog
        open={deleting !== null}
        title={t('targets.deleteTitle')}
        confirm={t('targets.delete')}
        dismiss={t('targets.cancel')}
        onConfirm={() => {
          const target = deleting;
          setDeleting(null);
          if (target) void run(() => deleteTarget(target.id));
        }}
        onDismiss={() => setDeleting(null)}
      >
        {t('targets.deleteBody', { title: deleting ? deleting.title[lang] : '' })}
      </ConfirmDialog>
    </Section>
  );
}
