import { describe, expect, it } from 'vitest';
import { loggerOptions } from './logging.js';

type RequestSerializer = (request: { method?: string; url?: string; routeOptions?: { url?: string } }) => {
  path?: string;
};

describe('request log lines', () => {
  const options = loggerOptions('info') as { serializers: { req: RequestSerializer } };

  it('keep the path without its query', () => {
    expect(options.serializers.req({ method: 'GET', url: '/api/transfers/abc?code=secret' }).path).toBe(
      '/api/transfers/abc',
    );
  });

  it('never carry a signed download link: its token is the authorisation', () => {
    const line = options.serializers.req({
      method: 'GET',
      url: '/api/transfer-downloads/WyJ0ZW5hbnQiXQ.c2lnbmF0dXJl',
      routeOptions: { url: '/api/transfer-downloads/:token' },
    });
    expect(line.path).toBe('/api/transfer-downloads/[redacted]');
    expect(JSON.stringify(line)).not.toContain('c2lnbmF0dXJl');
  });
});
