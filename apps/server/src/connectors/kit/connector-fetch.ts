import type { Config } from '../../config/config.js';

/**
 * The fetch every connector uses for customer-entered URLs (ConnectorContext.fetch). The SSRF guard
 * (guarded-fetch.ts) plugs in here; until then plain fetch, which no connector of today calls.
 */
export function createConnectorFetch(_config: Config): typeof fetch {
  return fetch;
}
