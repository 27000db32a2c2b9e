import { Button, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable, LoadState, useLoad } from '../ui/data-view.js';
import { Section, useFormat } from '../ui/layout.js';
import {
  fetchConsentStatistics,
  fetchRecordOfProcessing,
  fetchSecurityView,
  RECORD_CSV_URL,
  RECORD_JSON_URL,
  type SecurityView as SecurityData,
} from './operator-api.js';

const useStyles = makeStyles({
  downloads: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  hash: { fontFamily: tokens.fontFamilyMonospace },
});

/** The two columns naming an anonymised source, which both security tables start with. */
function sourceColumns<T extends { ipTruncated: string; ipHash: string }>(
  network: string,
  hashClassName: string,
): Column<T>[] {
  return [
    { id: 'network', header: network, cell: (row) => row.ipTruncated },
    // The first 12 characters are enough to tell sources apart on screen.
    { id: 'hash', header: 'Hash', className: hashClassName, cell: (row) => row.ipHash.slice(0, 12) },
  ];
}

export function ConsentView({ onError, days = 30 }: { onError: (error: unknown) => void; days?: number }) {
  const { t } = useTranslation();
  const load = useCallback(() => fetchConsentStatistics(days), [days]);
  const loaded = useLoad(load, onError);
  return (
    <Section title={t('operator.consentTitle', { days })} labelId="consent-title">
      <LoadState loaded={loaded} loadFailed={(message) => t('operator.loadFailed', { message })}>
        {(data) => (
          <DataTable
            rows={data.revisions}
            rowKey={(revision) => revision.policyRevision}
            labelId="consent-title"
            size="small"
            empty={t('operator.consentEmpty')}
            columns={[
              { id: 'revision', header: t('operator.revision'), cell: (revision) => revision.policyRevision },
              { id: 'choices', header: t('operator.choices'), cell: (revision) => revision.choices },
              {
                id: 'preferences',
                header: t('operator.preferencesAccepted'),
                cell: (revision) => revision.preferencesAccepted,
              },
              {
                id: 'statistics',
                header: t('operator.statisticsAccepted'),
                cell: (revision) => revision.statisticsAccepted,
              },
              { id: 'gpc', header: t('operator.withGpc'), cell: (revision) => revision.withGpc },
              { id: 'rejected', header: t('operator.rejectedAll'), cell: (revision) => revision.rejectedAll },
            ]}
          />
        )}
      </LoadState>
    </Section>
  );
}

export function SecurityView({ onError, hours = 24 }: { onError: (error: unknown) => void; hours?: number }) {
  const { t } = useTranslation();
  const format = useFormat();
  const styles = useStyles();
  const load = useCallback(() => fetchSecurityView(hours), [hours]);
  const loaded = useLoad(load, onError);
  const refresh = <Button onClick={loaded.reload}>{t('operator.refresh')}</Button>;
  return (
    <LoadState loaded={loaded} loadFailed={(message) => t('operator.loadFailed', { message })}>
      {(data) => (
        <>
          <Section title={t('operator.securityTitle', { hours })} labelId="security-title" actions={refresh}>
            <Caption1>{t('operator.securityNote')}</Caption1>
            <DataTable
              rows={data.topSources}
              rowKey={(source) => `${source.ipTruncated}|${source.ipHash}`}
              labelId="security-title"
              size="small"
              scroll
              empty={t('operator.securityEmpty')}
              columns={[
                ...sourceColumns<SecurityData['topSources'][number]>(t('operator.network'), styles.hash),
                { id: 'failures', header: t('operator.failures'), cell: (source) => source.failures },
                {
                  id: 'first-last',
                  header: t('operator.firstLast'),
                  cell: (source) => `${format.dateTime(source.firstAt)} – ${format.dateTime(source.lastAt)}`,
                },
                { id: 'paths', header: t('operator.paths'), cell: (source) => source.paths.join(', ') },
              ]}
            />
          </Section>
          <Section title={t('operator.blocksTitle')} labelId="blocks-title">
            <DataTable
              rows={data.blocks}
              rowKey={(block) => `${block.ipHash}|${block.blockedAt}`}
              labelId="blocks-title"
              size="small"
              empty={t('operator.blocksEmpty')}
              columns={[
                ...sourceColumns<SecurityData['blocks'][number]>(t('operator.network'), styles.hash),
                { id: 'reason', header: t('operator.reason'), cell: (block) => block.reason },
                { id: 'failures', header: t('operator.failures'), cell: (block) => block.failures },
                {
                  id: 'blocked-until',
                  header: t('operator.blockedUntil'),
                  cell: (block) => format.dateTime(block.blockedUntil),
                },
              ]}
            />
          </Section>
        </>
      )}
    </LoadState>
  );
}

export function RecordView({ onError }: { onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const loaded = useLoad(fetchRecordOfProcessing, onError);
  return (
    <Section
      title={t('operator.recordTitle')}
      labelId="record-title"
      actions={
        <span className={styles.downloads}>
          <Button as="a" href={RECORD_JSON_URL} download="record-of-processing.json">
            {t('operator.downloadJson')}
          </Button>
          <Button as="a" href={RECORD_CSV_URL} download="record-of-processing.csv">
            {t('operator.downloadCsv')}
          </Button>
        </span>
      }
    >
      <Caption1>{t('operator.recordNote')}</Caption1>
      <LoadState loaded={loaded} loadFailed={(message) => t('operator.loadFailed', { message })}>
        {(data) => (
          <DataTable
            rows={data.activities}
            rowKey={(activity) => activity.id}
            labelId="record-title"
            size="small"
            scroll
            columns={[
              { id: 'activity', header: t('operator.activity'), cell: (activity) => activity.name },
              {
                id: 'legal-basis',
                header: t('operator.legalBasis'),
                cell: (activity) => activity.legalBases.join('; '),
              },
              {
                id: 'data',
                header: t('operator.dataCategories'),
                // One line per kind of data, though several columns may hold it.
                cell: (activity) =>
                  [...new Set(activity.dataCategories.map((category) => category.what))].join('; '),
              },
              {
                id: 'retention',
                header: t('operator.retention'),
                cell: (activity) => activity.retention.join('; '),
              },
            ]}
          />
        )}
      </LoadState>
    </Section>
  );
}
