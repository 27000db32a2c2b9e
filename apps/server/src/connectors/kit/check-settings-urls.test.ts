import { CONNECTOR_TYPES } from '@mailissa/contracts';
import { describe, expect, it } from 'vitest';
import { connectorFor } from '../connector-registry.js';
import { checkSettingsUrls } from './check-settings-urls.js';
import { createConnectorNetwork } from './guarded-fetch.js';

/**
 * Issue 11: "A connector pointed at http://169.254.169.254/ or http://127.0.0.1:22/ in production
 * mode is refused with a clear 4xx and nothing is sent" — for every connector with an address a
 * customer enters, found in the registry, so a connector added later is covered by itself.
 */
const production = createConnectorNetwork({ allowedOrigins: [] });

const urlFields = CONNECTOR_TYPES.flatMap((type) =>
  connectorFor(type)
    .describeSettings()
    .filter((field) => field.kind === 'url')
    .map((field) => ({ type, key: field.key })),
);

describe('addresses in connector settings, in production', () => {
  it('are found for every connector that calls a customer’s system', () => {
    expect(urlFields.map((field) => field.type).sort()).toEqual(
      expect.arrayContaining(['domino', 'jira', 'webdav', 'webhook']),
    );
  });

  for (const { type, key } of urlFields) {
    it.each(['http://169.254.169.254/', 'http://127.0.0.1:22/', 'http://[::ffff:169.254.169.254]/'])(
      `${type}.${key}: refuses %s with a 400 naming the field`,
      async (url) => {
        await expect(
          checkSettingsUrls(connectorFor(type), { [key]: url }, production.checkUrl),
        ).rejects.toMatchObject({
          status: 400,
          code: 'target_address_refused',
          message: expect.stringMatching(
            new RegExp(`^settings\\.${key}: .* is a private, local or reserved`),
          ),
        });
      },
    );
  }
});
