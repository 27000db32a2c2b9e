import { Button, Link, MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import type { TenancyStatus } from '@mailissa/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiFetch } from '../ui/api-client.js';
import { LoadState, useLoad } from '../ui/data-view.js';
import { ConfirmDialog } from '../ui/dialog.js';
import { Section, useFormat } from '../ui/layout.js';

const DAY_MS = 86_400_000;
/** Cookie-authenticated changes must say they come from our page (web-session's same-site check). */
const CSRF = { 'x-requested-with': 'mailissa' };
const load = () => apiFetch('/portal/api/tenancy', 'tenancyStatusSchema');

/**
 * The end of the tenancy for tenant administrators (issue 13, part 6): the export of the
 * organisation's data, what the deletion will remove and keep (from the server's inventory), and the
 * end itself behind a confirmation naming the date; withdrawable until the job runs.
 */
export function TenancyEndView({
  organisation,
  onError,
}: {
  organisation: string;
  onError: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  const loaded = useLoad(load, onError);
  return (
    <Section title={t('rights.tenancyTitle')} labelId="tenancy-title">
      <LoadState loaded={loaded} loadFailed={(message) => t('rights.failed', { message })}>
        {(status) => (
          <TenancyEnd
            status={status}
            organisation={organisation}
            onChanged={loaded.reload}
            onError={onError}
          />
        )}
      </LoadState>
    </Section>
  );
}

function TenancyEnd({
  status,
  organisation,
  onChanged,
  onError,
}: {
  status: TenancyStatus;
  organisation: string;
  onChanged: () => void;
  onError: (error: unknown) => void;
}) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const language = i18n.language === 'de' ? 'de' : 'en';
  const act = async (method: 'POST' | 'DELETE') => {
    setNotice(null);
    try {
      await apiFetch('/portal/api/tenancy/end', 'tenancyStatusSchema', { method, headers: CSRF });
      if (method === 'DELETE') setNotice(t('rights.tenancyWithdrawn'));
      onChanged();
    } catch (error) {
      onError(error);
      setNotice(t('rights.failed', { message: error instanceof Error ? error.message : String(error) }));
    }
  };
  const deletionDate = format.dateTime(new Date(Date.now() + status.deletionDays * DAY_MS).toISOString());
  const preview = status.preview;
  const deleted = preview?.tables.filter((table) => !table.held) ?? [];
  const held = preview?.tables.filter((table) => table.held) ?? [];
  return (
    <div data-testid="tenancy-end">
      {notice ? (
        <MessageBar intent="info">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      ) : null}
      {status.ending ? (
        <>
          <MessageBar intent="warning" data-testid="tenancy-ending">
            <MessageBarBody>
              {t('rights.tenancyEnding', {
                date: format.dateTime(status.ending.deleteAfter),
                requested: format.dateTime(status.ending.requestedAt),
              })}
            </MessageBarBody>
          </MessageBar>
          <p>
            <Button onClick={() => void act('DELETE')} data-testid="tenancy-withdraw">
              {t('rights.tenancyWithdraw')}
            </Button>
          </p>
        </>
      ) : (
        <Text as="p">{t('rights.tenancyIntro', { days: status.deletionDays })}</Text>
      )}
      <p>
        <Link href="/portal/api/tenancy/export" download="mailissa-organisation.json">
          {t('rights.tenancyExport')}
        </Link>
      </p>
      {preview ? (
        <>
          <h3 id="tenancy-deletes">{t('rights.tenancyDeletes')}</h3>
          <ul aria-labelledby="tenancy-deletes" data-testid="tenancy-deletes">
            {deleted.map((table) => (
              <li key={table.table}>{t('rights.tenancyRows', { table: table.table, count: table.rows })}</li>
            ))}
          </ul>
          {held.length > 0 ? (
            <>
              <h3 id="tenancy-keeps">{t('rights.tenancyKeeps')}</h3>
              <ul aria-labelledby="tenancy-keeps">
                {held.map((table) => (
                  <li key={table.table}>
                    {t('rights.tenancyKept', { table: table.table, reason: table.held?.[language] ?? '' })}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <Text as="p">
            {t('rights.tenancyMicrosoft', {
              categories: preview.microsoftArtefacts.masterCategories,
              subscriptions: preview.microsoftArtefacts.subscriptions,
            })}
          </Text>
        </>
      ) : null}
      {status.ending ? null : (
        <Button appearance="primary" onClick={() => setConfirming(true)} data-testid="tenancy-end-button">
          {t('rights.tenancyEnd')}
        </Button>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('rights.tenancyConfirmTitle')}
        confirm={t('rights.tenancyConfirmButton')}
        dismiss={t('rights.tenancyCancel')}
        onConfirm={() => {
          setConfirming(false);
          void act('POST');
        }}
        onDismiss={() => setConfirming(false)}
        testId="tenancy-confirm"
      >
        {t('rights.tenancyConfirm', { organisation, date: deletionDate })}
      </ConfirmDialog>
    </div>
  );
}
