import type { Connector } from '../connector.js';

export type CheckUrl = (url: string, field: string) => Promise<void>;

/**
 * Every `url` field of a connector's settings passes the SSRF guard when a target is saved, so an
 * administrator hears at once (400 `target_address_refused`) rather than at the first transfer.
 */
export async function checkSettingsUrls<Settings>(
  connector: Connector<Settings>,
  settings: Settings,
  checkUrl: CheckUrl,
): Promise<void> {
  const values = settings as Record<string, unknown>;
  for (const field of connector.describeSettings()) {
    const value = values[field.key];
    if (field.kind === 'url' && typeof value === 'string' && value !== '') {
      await checkUrl(value, `settings.${field.key}`);
    }
  }
}
