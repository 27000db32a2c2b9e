import { describe, expect, it } from 'vitest';
import { ConfigError, DEMO_CLIENT_ID, loadConfig } from './config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('runs in demo mode with PGlite in ./data and the emulator when nothing is configured', () => {
    const config = loadConfig({});
    expect(config.demoMode).toBe(true);
    expect(config.port).toBe(3000);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './data' });
    expect(config.entra.clientId).toBe(DEMO_CLIENT_ID);
    expect(config.entra.authorityBase).toBe('http://localhost:3000/emulator');
    expect(config.graphBaseUrl).toBe('http://localhost:3000/emulator/graph/v1.0');
  });

  it('builds every absolute URL from the one public base URL', () => {
    const config = loadConfig({ PUBLIC_BASE_URL: 'https://mailissa.example.com/' });
    expect(config.publicBaseUrl).toBe('https://mailissa.example.com');
    expect(config.entra.authorityBase).toBe('https://mailissa.example.com/emulator');
    expect(config.registrationUrl).toBe('https://mailissa.example.com/register');
  });

  it('sells through the marketplace emulator in demo mode, and elsewhere only with a publisher tenant', () => {
    expect(loadConfig({}).billing.marketplace).toEqual({
      apiBase: 'http://localhost:3000/emulator/marketplace',
      publisherTenantId: null,
    });
    const configured = {
      ENTRA_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      OPERATOR_TENANT_ID: '11111111-2222-4333-8444-666666666666',
      OPERATOR_OBJECT_IDS: '11111111-2222-4333-8444-777777777777',
    };
    expect(loadConfig(configured).billing.marketplace).toBeNull();
    expect(
      loadConfig({
        ...configured,
        ENTRA_CLIENT_SECRET: 'secret',
        MARKETPLACE_PUBLISHER_TENANT_ID: '11111111-2222-4333-8444-888888888888',
      }).billing.marketplace,
    ).toEqual({
      apiBase: 'https://marketplaceapi.microsoft.com',
      publisherTenantId: '11111111-2222-4333-8444-888888888888',
    });
    expect(
      problemsOf({ ...configured, MARKETPLACE_PUBLISHER_TENANT_ID: '11111111-2222-4333-8444-888888888888' }),
    ).toEqual([
      'ENTRA_CLIENT_SECRET: required with MARKETPLACE_PUBLISHER_TENANT_ID (the fulfillment API takes client-credentials tokens)',
    ]);
    expect(problemsOf({ ...configured, MARKETPLACE_API_BASE: 'https://marketplace.example' })).toEqual([
      'MARKETPLACE_API_BASE: set MARKETPLACE_PUBLISHER_TENANT_ID too, or the marketplace stays off',
    ]);
  });

  it('lets connectors reach local servers only in demo mode, by an explicit list (decision 060)', () => {
    // Demo mode: the server's own origin (its emulators) and the origins listed, nothing else.
    expect(
      loadConfig({ CONNECTOR_ALLOWED_ORIGINS: 'http://127.0.0.1:8080' }).connectors.allowedOrigins,
    ).toEqual(['http://localhost:3000', 'http://127.0.0.1:8080']);
    const production = {
      ENTRA_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      OPERATOR_TENANT_ID: '11111111-2222-4333-8444-666666666666',
      OPERATOR_OBJECT_IDS: '11111111-2222-4333-8444-777777777777',
    };
    expect(loadConfig(production).connectors.allowedOrigins).toEqual([]);
    expect(problemsOf({ ...production, CONNECTOR_ALLOWED_ORIGINS: 'http://127.0.0.1:8080' })).toEqual([
      'CONNECTOR_ALLOWED_ORIGINS: only in demo mode; outside it connectors never reach private or loopback addresses',
    ]);
  });

  it('has idle workers look for due jobs every 2 s, every 0.5 s in tests, and refuses a busier poll', () => {
    expect(loadConfig({}).jobPollSeconds).toBe(2);
    expect(loadConfig({ NODE_ENV: 'test' }).jobPollSeconds).toBe(0.5);
    expect(loadConfig({ JOB_POLL_SECONDS: '5' }).jobPollSeconds).toBe(5);
    expect(problemsOf({ JOB_POLL_SECONDS: '0.1' }).join(' ')).toMatch(/JOB_POLL_SECONDS/);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db.internal:5432/mailissa' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://db.internal:5432/mailissa',
    });
  });

  it('reads the process role, the metrics token and earlier session secrets, and refuses weak ones', () => {
    const config = loadConfig({
      PROCESS_ROLE: 'worker',
      METRICS_TOKEN: 'm'.repeat(40),
      SESSION_OLD_SECRETS: ` ${'a'.repeat(32)}, ${'b'.repeat(40)} `,
    });
    expect(config.processRole).toBe('worker');
    expect(config.metricsToken).toBe('m'.repeat(40));
    expect(config.sessionOldSecrets).toEqual(['a'.repeat(32), 'b'.repeat(40)]);
    expect(loadConfig({}).processRole).toBe('all');
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(
      problemsOf({ PROCESS_ROLE: 'cron', METRICS_TOKEN: 'short', SESSION_OLD_SECRETS: 'tooshort' }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PROCESS_ROLE: /),
        'METRICS_TOKEN: must be at least 32 characters',
        'SESSION_OLD_SECRETS.0: each must be at least 32 characters',
      ]),
    );
  });

  it('names every bad variable on a line of its own', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ENTRA_CLIENT_ID: 'not-a-guid' });
    expect(problems).toHaveLength(3);
    expect(problems.find((line) => line.startsWith('PORT:'))).toBeDefined();
    expect(problems.find((line) => line.startsWith('DATABASE_URL:'))).toMatch(/postgres/);
    expect(problems.find((line) => line.startsWith('ENTRA_CLIENT_ID:'))).toBeDefined();
  });

  it('refuses to run the emulator in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).join('\n')).toMatch(
      /ENTRA_CLIENT_ID: required when NODE_ENV=production/,
    );
  });

  it('points at Microsoft when an Entra app is configured', () => {
    const config = loadConfig({
      ENTRA_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      ENTRA_CLIENT_SECRET: 'secret',
      OPERATOR_TENANT_ID: '11111111-2222-4333-8444-666666666666',
      OPERATOR_OBJECT_IDS: 'AAAAAAAA-2222-4333-8444-555555555555, bbbbbbbb-2222-4333-8444-555555555555',
    });
    expect(config.demoMode).toBe(false);
    expect(config.entra.authorityBase).toBe('https://login.microsoftonline.com');
    expect(config.graphBaseUrl).toBe('https://graph.microsoft.com/v1.0');
    expect(config.operator.objectIds).toEqual([
      'aaaaaaaa-2222-4333-8444-555555555555',
      'bbbbbbbb-2222-4333-8444-555555555555',
    ]);
    expect(config.operator.appRole).toBeNull();
  });

  it('authorises operators by object id or app role, never by e-mail address', () => {
    const live = {
      ENTRA_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      ENTRA_CLIENT_SECRET: 'secret',
      OPERATOR_TENANT_ID: '11111111-2222-4333-8444-666666666666',
    };
    expect(problemsOf(live).join('\n')).toMatch(/OPERATOR_TENANT_ID and OPERATOR_OBJECT_IDS/);
    expect(problemsOf({ ...live, OPERATOR_OBJECT_IDS: 'ops@example.com' }).join('\n')).toMatch(
      /OPERATOR_OBJECT_IDS[.0-9]*: .*GUID/,
    );
    expect(
      problemsOf({ ...live, OPERATOR_APP_ROLE: 'Operator', OPERATOR_EMAILS: 'ops@example.com' }),
    ).toEqual([expect.stringMatching(/^OPERATOR_EMAILS: no longer used/)]);
    expect(loadConfig({ ...live, OPERATOR_APP_ROLE: 'Operator' }).operator).toEqual({
      tenantId: live.OPERATOR_TENANT_ID,
      objectIds: null,
      appRole: 'Operator',
    });
  });

  it('listens on loopback only in demo mode, on every interface with an Entra app, as HOST says', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig(ENTRA_APP).host).toBe('0.0.0.0');
    expect(loadConfig({ ...ENTRA_APP, HOST: '10.1.2.3' }).host).toBe('10.1.2.3');
  });

  it('refuses an http:// public base URL in production, whatever the proxy settings', () => {
    const problems = problemsOf({
      ...PRODUCTION,
      PUBLIC_BASE_URL: 'http://mailissa.example.com',
      TRUST_PROXY: '10.0.0.5',
    });
    expect(problems).toEqual([
      'PUBLIC_BASE_URL: must be an https:// URL when NODE_ENV=production (terminate TLS in the server or in a trusted proxy)',
    ]);
  });

  it('in production, wants TLS in the server or a proxy named in TRUST_PROXY, not "trust anyone"', () => {
    const withoutTls = problemsOf(PRODUCTION);
    expect(withoutTls).toHaveLength(1);
    expect(withoutTls[0]).toMatch(/^TRUST_PROXY: list the addresses of the proxy that terminates TLS/);
    // "Trust every proxy" neither names the TLS proxy nor keeps forwarded addresses honest.
    expect(problemsOf({ ...PRODUCTION, TRUST_PROXY: 'true' })).toEqual([
      ...withoutTls,
      expect.stringMatching(/^TRUST_PROXY: 'true' trusts any client's X-Forwarded-For/),
    ]);

    const behindProxy = loadConfig({ ...PRODUCTION, TRUST_PROXY: '10.0.0.5, fd00::/8' });
    expect(behindProxy.publicBaseUrl).toBe('https://mailissa.example.com');
    expect(behindProxy.trustProxy).toEqual(['10.0.0.5', 'fd00::/8']);
    const ownTls = loadConfig({
      ...PRODUCTION,
      TLS_CERT_FILE: '/tls/cert.pem',
      TLS_KEY_FILE: '/tls/key.pem',
    });
    expect(ownTls.tls).toEqual({ certFile: '/tls/cert.pem', keyFile: '/tls/key.pem' });
  });
});

const ENTRA_APP = {
  ENTRA_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
  ENTRA_CLIENT_SECRET: 'secret',
  OPERATOR_TENANT_ID: '11111111-2222-4333-8444-666666666666',
  OPERATOR_OBJECT_IDS: '11111111-2222-4333-8444-777777777777',
};

/** Everything production needs except how TLS is done. */
const PRODUCTION = {
  ...ENTRA_APP,
  NODE_ENV: 'production',
  PUBLIC_BASE_URL: 'https://mailissa.example.com',
  SESSION_SECRET: 's'.repeat(32),
  FORM_SIGNING_SECRET: 'f'.repeat(32),
  CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
  SMTP_URL: 'smtp://mail.example.com',
  MAIL_FROM: 'Mailissa <no-reply@example.com>',
  CONTACT_EMAIL: 'contact@example.com',
  OPERATOR_COMPANY: 'Example GmbH',
  OPERATOR_ADDRESS: 'Street 1; 12345 Town',
  OPERATOR_EMAIL: 'info@example.com',
  OPERATOR_REPRESENTATIVE: 'A. Person',
  OPERATOR_DPO_NAME: 'DPO GmbH',
  OPERATOR_DPO_ADDRESS: 'Way 2; 12345 Town',
  OPERATOR_DPO_EMAIL: 'dpo@example.com',
  OPERATOR_DPO_PHONE: '+49 000 1',
};
