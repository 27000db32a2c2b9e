import {
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, Section } from '../ui/layout.js';
import {
  fetchConsentStatistics,
  fetchRecordOfProcessing,
  fetchSecurityView,
  RECORD_CSV_URL,
  RECORD_JSON_URL,
} from './operator-api.js';
import { useLoad } from './use-load.js';

const useStyles = makeStyles({
  tableWrap: { overflowX: 'auto' },
  downloads: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  hash: { fontFamily: tokens.fontFamilyMonospace },
});

function LoadError({ message }: { message: string }) {
  const { t } = useTranslation();
  return (
    <MessageBar intent="error">
      <MessageBarBody>{t('operator.loadFailed', { message })}</MessageBarBody>
    </MessageBar>
  );
}

export function ConsentView({ onError, days = 30 }: { onError: (error: unknown) => void; days?: number }) {
  const { t } = useTranslation();
  const load = useCallback(() => fetchConsentStatistics(days), [days]);
  const { data, error } = useLoad(load, onError);
  return (
    <Section title={t('operator.consentTitle', { days })} labelId="consent-title">
      {error ? (
        <LoadError message={error} />
      ) : data === null ? (
        <Spinner size="small" />
      ) : data.revisions.length === 0 ? (
        <Text>{t('operator.consentEmpty')}</Text>
      ) : (
        <Table aria-labelledby="consent-title" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('operator.revision')}</TableHeaderCell>
              <TableHeaderCell>{t('operator.choices')}</TableHeaderCell>
              <TableHeaderCell>{t('operator.preferencesAccepted')}</TableHeaderCell>
              <TableHeaderCell>{t('operator.statisticsAccepted')}</TableHeaderCell>
              <TableHeaderCell>{t('operator.withGpc')}</TableHeaderCell>
              <TableHeaderCell>{t('operator.rejectedAll')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {data.revisions.map((revision) => (
              <TableRow key={revision.policyRevision}>
                <TableCell>{revision.policyRevision}</TableCell>
                <TableCell>{revision.choices}</TableCell>
                <TableCell>{revision.preferencesAccepted}</TableCell>
                <TableCell>{revision.statisticsAccepted}</TableCell>
                <TableCell>{revision.withGpc}</TableCell>
                <TableCell>{revision.rejectedAll}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Section>
  );
}

export function SecurityView({ onError, hours = 24 }: { onError: (error: unknown) => void; hours?: number }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const load = useCallback(() => fetchSecurityView(hours), [hours]);
  const { data, error, reload } = useLoad(load, onError);
  const refresh = <Button onClick={reload}>{t('operator.refresh')}</Button>;
  if (error) return <LoadError message={error} />;
  if (data === null) return <Spinner size="small" />;
  return (
    <>
      <Section title={t('operator.securityTitle', { hours })} labelId="security-title" actions={refresh}>
        <Caption1>{t('operator.securityNote')}</Caption1>
        {data.topSources.length === 0 ? (
          <Text>{t('operator.securityEmpty')}</Text>
        ) : (
          <div className={styles.tableWrap}>
            <Table aria-labelledby="security-title" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{t('operator.network')}</TableHeaderCell>
                  <TableHeaderCell>Hash</TableHeaderCell>
                  <TableHeaderCell>{t('operator.failures')}</TableHeaderCell>
                  <TableHeaderCell>{t('operator.firstLast')}</TableHeaderCell>
                  <TableHeaderCell>{t('operator.paths')}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.topSources.map((source) => (
                  <TableRow key={`${source.ipTruncated}|${source.ipHash}`}>
                    <TableCell>{source.ipTruncated}</TableCell>
                    <TableCell className={styles.hash}>{source.ipHash.slice(0, 12)}</TableCell>
                    <TableCell>{source.failures}</TableCell>
                    <TableCell>{`${formatDateTime(source.firstAt, i18n.language)} – ${formatDateTime(source.lastAt, i18n.language)}`}</TableCell>
                    <TableCell>{source.paths.join(', ')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </Section>
      <Section title={t('operator.blocksTitle')} labelId="blocks-title">
        {data.blocks.length === 0 ? (
          <Text>{t('operator.blocksEmpty')}</Text>
        ) : (
          <Table aria-labelledby="blocks-title" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('operator.network')}</TableHeaderCell>
                <TableHeaderCell>Hash</TableHeaderCell>
                <TableHeaderCell>{t('operator.reason')}</TableHeaderCell>
                <TableHeaderCell>{t('operator.failures')}</TableHeaderCell>
                <TableHeaderCell>{t('operator.blockedUntil')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.blocks.map((block) => (
                <TableRow key={`${block.ipHash}|${block.blockedAt}`}>
                  <TableCell>{block.ipTruncated}</TableCell>
                  <TableCell className={styles.hash}>{block.ipHash.slice(0, 12)}</TableCell>
                  <TableCell>{block.reason}</TableCell>
                  <TableCell>{block.failures}</TableCell>
                  <TableCell>{formatDateTime(block.blockedUntil, i18n.language)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Section>
    </>
  );
}

export function RecordView({ onError }: { onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { data, error } = useLoad(fetchRecordOfProcessing, onError);
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
      {error ? (
        <LoadError message={error} />
      ) : data === null ? (
        <Spinner size="small" />
      ) : (
        <div className={styles.tableWrap}>
          <Table aria-labelledby="record-title" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('operator.activity')}</TableHeaderCell>
                <TableHeaderCell>{t('operator.legalBasis')}</TableHeaderCell>
                <TableHeaderCell>{t('operator.dataCategories')}</TableHeaderCell>
                <TableHeaderCell>{t('operator.retention')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.activities.map((activity) => (
                <TableRow key={activity.id}>
                  <TableCell>{activity.name}</TableCell>
                  <TableCell>{activity.legalBases.join('; ')}</TableCell>
                  <TableCell>
                    {[...new Set(activity.dataCategories.map((category) => category.what))].join('; ')}
                  </TableCell>
                  <TableCell>{activity.retention.join('; ')}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </Section>
  );
}
