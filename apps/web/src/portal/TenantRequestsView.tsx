import { Badge, Caption1, Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { apiFetch } from '../ui/api-client.js';
import { LoadState, useLoad } from '../ui/data-view.js';
import { Section, useFormat } from '../ui/layout.js';

const load = () => apiFetch('/portal/api/rights-requests', 'listRightsRequestsResponseSchema');

/** The data-protection requests concerning the organisation's users (user administrators). */
export function TenantRequestsView({ onError }: { onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const loaded = useLoad(load, onError);
  return (
    <Section title={t('rights.queueTitle')} labelId="tenant-requests-title">
      <LoadState loaded={loaded} loadFailed={(message) => t('rights.failed', { message })}>
        {({ requests }) =>
          requests.length === 0 ? (
            <Text>{t('rights.queueEmpty')}</Text>
          ) : (
            <ul aria-labelledby="tenant-requests-title" data-testid="tenant-requests">
              {requests.map((request) => (
                <li key={request.id}>
                  <Text weight="semibold">{t(`rights.kind_${request.kind}`)}</Text>{' '}
                  <Badge appearance="outline">{t(`rights.channel_${request.channel}`)}</Badge>{' '}
                  <Badge appearance="tint">{t(`rights.status_${request.status}`)}</Badge>{' '}
                  <Caption1>
                    {`${t('rights.received', { when: format.dateTime(request.receivedAt) })}${request.requestedBy ? ` · ${request.requestedBy}` : ''}`}
                  </Caption1>
                </li>
              ))}
            </ul>
          )
        }
      </LoadState>
    </Section>
  );
}
