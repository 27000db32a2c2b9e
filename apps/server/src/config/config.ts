import { z } from 'zod';
import { type AccountingConfig, accountingConfig, accountingEnvironment } from './accounting.config.js';

/**
 * The one place where the environment is read. Every setting is validated at start-up so a bad
 * deployment fails at once with one line per bad variable instead of misbehaving later.
 */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Default: loopback in demo mode (passwordless sign-in as anyone), every interface otherwise. */
  HOST: z.string().min(1).optional(),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  ENTRA_CLIENT_ID: z.uuid().optional(),
  ENTRA_CLIENT_SECRET: z.string().min(1).optional(),
  ENTRA_AUTHORITY_BASE: z.url({ protocol: /^https?$/ }).optional(),
  GRAPH_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  REGISTRATION_URL: z.url({ protocol: /^https?$/ }).optional(),
  EMULATOR_IMPORT_DIR: z.string().min(1).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * Earlier SESSION_SECRETs, comma-separated: cookies they signed still count while sessions signed
   * before a rotation run out (docs/operations.md "Key rotation"); new cookies use SESSION_SECRET.
   */
  SESSION_OLD_SECRETS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((secret) => secret.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(32, 'each must be at least 32 characters'))),
  /**
   * `all`: serve requests and work the job queues (one process, the default). `api`: serve requests
   * only (jobs are still enqueued). `worker`: work the queues and schedules; it answers HTTP too, for
   * health probes, but is kept out of the load balancer (docs/operations.md).
   */
  PROCESS_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  /**
   * On SIGTERM, how long jobs in flight may run on before they are handed back to the queue (retried
   * elsewhere, resumed where they stopped). Keep it below the orchestrator's kill deadline.
   */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  /**
   * How often an idle worker asks the database for jobs that became due without a wake-up (a retry
   * after its back-off, a scheduled run). A sent job wakes the workers at once, so this only bounds
   * how late a due retry starts; each look is one query per queue (decision 157). Default 2 s, 0.5 s
   * in tests.
   */
  JOB_POLL_SECONDS: z.coerce.number().min(0.5).max(60).optional(),
  /** The bearer token Prometheus sends to GET /metrics; without it the route does not exist. */
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * OpenTelemetry's own variables: where spans go over OTLP/HTTP (the collector's base URL, to which
   * `/v1/traces` is added, or the full traces URL). Neither set: traces are made for the log lines'
   * trace ids but exported nowhere (observability/tracing.ts).
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('mailissa'),
  /**
   * A comma-separated list of proxy addresses/CIDRs whose X-Forwarded-* we honour, or `false`.
   * `true` trusts every client's X-Forwarded-For, so anyone can choose the address they are limited
   * and blocked under: refused in production, and unsafe anywhere a client can reach the server
   * directly.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, ctx): boolean | string[] => {
      const lowered = value.trim().toLowerCase();
      if (['true', '1', 'yes'].includes(lowered)) return true;
      if (['false', '0', 'no'].includes(lowered)) return false;
      const entries = value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      for (const entry of entries) {
        if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry)) {
          ctx.addIssue({ code: 'custom', message: `not an address or CIDR: ${entry}` });
          return z.NEVER;
        }
      }
      return entries;
    }),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  OPERATOR_COMPANY: z.string().min(1).max(200).optional(),
  /** Postal address, lines separated by `;`. */
  OPERATOR_ADDRESS: z.string().min(1).max(500).optional(),
  OPERATOR_EMAIL: z.email().optional(),
  OPERATOR_PHONE: z.string().min(3).max(50).optional(),
  OPERATOR_REPRESENTATIVE: z.string().min(1).max(200).optional(),
  OPERATOR_REGISTER: z.string().min(1).max(200).optional(),
  OPERATOR_VAT_ID: z.string().min(1).max(50).optional(),
  OPERATOR_DPO_NAME: z.string().min(1).max(200).optional(),
  OPERATOR_DPO_ADDRESS: z.string().min(1).max(500).optional(),
  OPERATOR_DPO_EMAIL: z.email().optional(),
  OPERATOR_DPO_PHONE: z.string().min(3).max(50).optional(),
  /** The privacy policy's revision; raising it asks every visitor for consent again. */
  PRIVACY_POLICY_REVISION: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - and _ only')
    .default('2026-11-01'),
  USAGE_LOG_ENABLED: booleanFromEnv.default(true),
  USAGE_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  CONSENT_RECORD_RETENTION_DAYS: z.coerce.number().int().min(30).max(3650).default(1095),
  /** Requests per minute from one address; 0 turns the limit off (benchmarks). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  /** Failed requests (4xx) from one address within the window that trigger a temporary block. */
  BLOCK_AFTER_FAILURES: z.coerce.number().int().min(1).default(50),
  BLOCK_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(300),
  BLOCK_DURATION_SECONDS: z.coerce.number().int().min(1).default(900),
  /** How long one process reuses its answer to "is this network blocked?" (blocks made elsewhere lag this). */
  BLOCK_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
  /**
   * How many leading bits of an IPv6 address are its network, as stored and as limited and blocked:
   * 48 (a site, the default) or 64 (one LAN; blocks hit fewer neighbours, the stored form says more).
   */
  IPV6_NETWORK_PREFIX: z
    .enum(['48', '64'])
    .default('48')
    .transform((value) => (value === '48' ? 48 : 64)),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  OPERATOR_TENANT_ID: z.uuid().optional(),
  // Operators are authorised by immutable ids, never by a name or an e-mail address (decision 014).
  OPERATOR_OBJECT_IDS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((id) => id.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.guid('must list object ids (GUIDs), comma-separated'))
        .min(1, 'must list at least one object id'),
    )
    .optional(),
  OPERATOR_APP_ROLE: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be the value of an app role, such as Operator')
    .optional(),
  /** Retired: e-mail addresses can change hands; kept in the schema only to name it when still set. */
  OPERATOR_EMAILS: z.string().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).max(320).optional(),
  CONTACT_EMAIL: z.email().optional(),
  CONTACT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  CONTACT_MIN_SUBMIT_SECONDS: z.coerce.number().int().min(0).max(600).default(3),
  TEAM_DONE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  FORM_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** 32 bytes, base64: seals users' credentials for target systems (AES-256-GCM). */
  CREDENTIALS_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  /** Earlier CREDENTIALS_KEY values, comma-separated: still opened, re-sealed with the current key on use. */
  CREDENTIALS_OLD_KEYS: z
    .string()
    .default('')
    .refine(
      (value) =>
        value
          .split(',')
          .map((key) => key.trim())
          .filter(Boolean)
          .every((key) => Buffer.from(key, 'base64').length === 32),
      'every key must be 32 bytes, base64-encoded',
    ),
  MAIL_CATCHER_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /**
   * Demo and tests only: origins (scheme://host:port) on this machine connectors may reach although
   * they are loopback or private, e.g. local emulators. Refused outside demo mode (decision 060).
   */
  CONNECTOR_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const origins: string[] = [];
      for (const entry of value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)) {
        const parsed = URL.canParse(entry) ? new URL(entry) : null;
        if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
          ctx.addIssue({ code: 'custom', message: `"${entry}" is not an http(s) origin` });
          return z.NEVER;
        }
        origins.push(parsed.origin);
      }
      return origins;
    }),
  TENANCY_DELETION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Stripe: the secret key, the webhook endpoint's signing secret, and the API's base URL. */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, 'must be a Stripe secret key (sk_…)')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9_]+$/, 'must be a webhook signing secret (whsec_…)')
    .optional(),
  STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
  /** The EU's VIES REST service (its `/check-vat-number` is called). */
  VIES_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * The Microsoft commercial marketplace (SaaS fulfillment API v2): the tenant our app registration
   * lives in (the issuer tenant of the marketplace's webhook tokens) and the API's base URL. Outside
   * demo mode the marketplace is sold through only when the tenant is set.
   */
  MARKETPLACE_PUBLISHER_TENANT_ID: z.uuid().optional(),
  MARKETPLACE_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
  /** Days an overdue subscription keeps working before its licences are suspended. */
  BILLING_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(14),
  ...accountingEnvironment,
});

export type Environment = Record<string, string | undefined>;

export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  /** Where the server listens; loopback (127.0.0.1) in demo mode unless HOST says otherwise. */
  host: string;
  /** Every absolute URL the product emits (issuers, redirect URIs, links in mails) starts here. */
  publicBaseUrl: string;
  logLevel: string;
  dataDir: string;
  database: { kind: 'pglite'; dataDir: string | null } | { kind: 'postgres'; url: string };
  /** Demo mode runs the Microsoft 365 emulator and points every Microsoft endpoint at it. */
  demoMode: boolean;
  entra: {
    clientId: string;
    clientSecret: string | null;
    /** Issuers are `${authorityBase}/${tid}/v2.0`, Entra's multi-tenant rule. */
    authorityBase: string;
  };
  graphBaseUrl: string;
  registrationUrl: string;
  emulatorImportDir: string | null;
  sessionSecret: string | null;
  /** Secrets of earlier rotations that still verify cookies (never sign). */
  sessionOldSecrets: string[];
  processRole: 'all' | 'api' | 'worker';
  /** How long jobs in flight may finish on shutdown before they go back to the queue. */
  shutdownGraceSeconds: number;
  /** How often an idle worker looks for jobs that became due (JOB_POLL_SECONDS). */
  jobPollSeconds: number;
  /** The bearer token of GET /metrics (observability/); null: no metrics route. */
  metricsToken: string | null;
  /** OpenTelemetry: the OTLP/HTTP traces URL (null: no export) and the service name spans carry. */
  tracing: { otlpTracesUrl: string | null; serviceName: string };
  /** false, true (any proxy; never in production) or the proxies' addresses/CIDRs whose X-Forwarded-* headers count. */
  trustProxy: boolean | string[];
  /** Serve HTTPS directly from these PEM files; null behind a TLS-terminating proxy or in plain HTTP. */
  tls: { certFile: string; keyFile: string } | null;
  /** Who runs Mailissa: shown in the imprint and privacy policy and in the Art. 30 record. */
  operatorIdentity: OperatorDetails;
  privacy: {
    policyRevision: string;
    /** IPv6 addresses are kept, limited and blocked as their /48 or /64 network. */
    ipv6Prefix: 48 | 64;
    usageLogEnabled: boolean;
    usageLogRetentionDays: number;
    consentRecordRetentionDays: number;
  };
  security: {
    rateLimitPerMinute: number;
    blockAfterFailures: number;
    blockFailureWindowSeconds: number;
    blockDurationSeconds: number;
    blockCacheSeconds: number;
  };
  session: {
    /** Portal and operator sessions end after this much inactivity. */
    idleMinutes: number;
  };
  operator: {
    /**
     * The Microsoft tenant whose users may sign in to the operator console; null in demo mode until
     * the demo wiring names the emulator's operator tenant (see demo/mount-demo.ts).
     */
    tenantId: string | null;
    /** Object ids (`oid`) of the operator tenant's users who may; null: none listed. */
    objectIds: string[] | null;
    /** An app role (`roles` claim of the ID token) that makes a user of that tenant an operator. */
    appRole: string | null;
  };
  mail: {
    /** Where the product sends mail; null in demo mode, where it goes to the local mail catcher. */
    smtpUrl: string | null;
    from: string;
    /** Loopback port of the demo mail catcher; 0 picks a free one. */
    catcherPort: number;
  };
  team: {
    /** Days after a team mail is done until its state and list metadata are deleted. */
    doneRetentionDays: number;
  };
  contact: {
    /** The operator's inbox that receives contact enquiries. */
    recipient: string;
    /** Days after the operator closes an enquiry until it is deleted. */
    retentionDays: number;
    /** A form sent back sooner than this after it was served is treated as a bot. */
    minSubmitSeconds: number;
  };
  /** HMAC key for contact-form timestamps and newsletter tokens; null: generated once in DATA_DIR. */
  formSigningSecret: string | null;
  rights: {
    /** Days after a tenancy ends (or its end is asked for) until its data is deleted. */
    tenancyDeletionDays: number;
  };
  /** The credentials store's key (null: generated once in DATA_DIR, demo and development only). */
  credentials: { key: string | null; oldKeys: string[] };
  billing: {
    /** null: no payment provider configured, so nothing can be bought (the portal offers trials only). */
    stripe: { secretKey: string; webhookSecret: string; apiBase: string } | null;
    viesBaseUrl: string;
    graceDays: number;
    /**
     * The commercial marketplace as a second way to buy (marketplace/); null: not sold there.
     * `publisherTenantId` is null in demo mode until the demo wiring names the emulator's operator
     * tenant (see demo/mount-demo.ts withDemoDefaults).
     */
    marketplace: { apiBase: string; publisherTenantId: string | null } | null;
  };
  /** Pay on invoice (the bank account) and the accountant's DATEV export (accounting.config.ts). */
  accounting: AccountingConfig;
  connectors: {
    /**
     * Origins connectors may reach although loopback or private (the SSRF guard's allow-list): the
     * server's own origin (its emulators) plus CONNECTOR_ALLOWED_ORIGINS in demo mode; empty otherwise.
     */
    allowedOrigins: string[];
  };
}

export interface OperatorDetails {
  company: string;
  addressLines: string[];
  email: string;
  phone: string | null;
  representative: string | null;
  register: string | null;
  vatId: string | null;
  dpo: { name: string; addressLines: string[]; email: string; phone: string | null };
}

const OPERATOR_REQUIRED_IN_PRODUCTION = [
  'OPERATOR_COMPANY',
  'OPERATOR_ADDRESS',
  'OPERATOR_EMAIL',
  'OPERATOR_REPRESENTATIVE',
  'OPERATOR_DPO_NAME',
  'OPERATOR_DPO_ADDRESS',
  'OPERATOR_DPO_EMAIL',
  'OPERATOR_DPO_PHONE',
] as const;

function addressLines(value: string): string[] {
  return value
    .split(';')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The demo application registered in the emulator; never valid against real Entra ID. */
export const DEMO_CLIENT_ID = '6d1c0f52-3a7e-4d6b-9a51-4e0c8b7f2a10';
export const DEMO_CLIENT_SECRET = 'demo-client-secret-only-valid-in-the-emulator';
/** The demo Stripe keys of the payment emulator; never valid against Stripe. */
export const DEMO_STRIPE_SECRET_KEY = 'sk_test_mailissa_demo_only_valid_in_the_emulator';
export const DEMO_STRIPE_WEBHOOK_SECRET = 'whsec_mailissa_demo_only_valid_in_the_emulator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((line) => `  ${line}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Demo mode signs anyone in without a password: it listens on this machine only unless HOST says otherwise. */
export const DEMO_HOST = '127.0.0.1';

/**
 * Production is reached over TLS only (docs/decisions/016-csp-nonce-and-error-pages.md): session
 * cookies are `Secure` and HSTS is sent only then. So the public base URL is `https://`, and the TLS
 * is either the server's own (TLS_CERT_FILE/TLS_KEY_FILE) or a proxy's that is named in TRUST_PROXY —
 * only then is its `X-Forwarded-Proto: https` believed. `TRUST_PROXY=true` names no proxy and does
 * not count: anyone could claim to have come over TLS.
 */
function tlsProblems(e: z.infer<typeof environmentSchema>): string[] {
  const problems: string[] = [];
  if (e.PUBLIC_BASE_URL && !e.PUBLIC_BASE_URL.toLowerCase().startsWith('https://')) {
    problems.push(
      'PUBLIC_BASE_URL: must be an https:// URL when NODE_ENV=production (terminate TLS in the server or in a trusted proxy)',
    );
  }
  const ownTls = e.TLS_CERT_FILE !== undefined && e.TLS_KEY_FILE !== undefined;
  const namedProxies = Array.isArray(e.TRUST_PROXY) && e.TRUST_PROXY.length > 0;
  if (!ownTls && !namedProxies) {
    problems.push(
      'TRUST_PROXY: list the addresses of the proxy that terminates TLS when NODE_ENV=production, or set TLS_CERT_FILE and TLS_KEY_FILE',
    );
  }
  return problems;
}

function trimTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export function loadConfig(env: Environment = process.env): Config {
  // Empty strings in the environment mean "not set", as they do for most deployment tools.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const demoMode = e.ENTRA_CLIENT_ID === undefined;
  const problems: string[] = [];
  if (demoMode && e.NODE_ENV === 'production') {
    problems.push(
      'ENTRA_CLIENT_ID: required when NODE_ENV=production (the Microsoft 365 emulator never runs in production)',
    );
  }
  if (!demoMode && e.NODE_ENV === 'production' && !e.PUBLIC_BASE_URL) {
    problems.push('PUBLIC_BASE_URL: required when NODE_ENV=production');
  }
  if (!demoMode && e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    problems.push('SESSION_SECRET: required when NODE_ENV=production');
  }
  if (e.OPERATOR_EMAILS !== undefined) {
    problems.push(
      'OPERATOR_EMAILS: no longer used; name operators by object id in OPERATOR_OBJECT_IDS (or by app role in OPERATOR_APP_ROLE)',
    );
  }
  if (!demoMode && (!e.OPERATOR_TENANT_ID || (!e.OPERATOR_OBJECT_IDS && !e.OPERATOR_APP_ROLE))) {
    problems.push(
      'OPERATOR_TENANT_ID and OPERATOR_OBJECT_IDS (or OPERATOR_APP_ROLE): required outside demo mode (who runs the operator console)',
    );
  }
  if (e.NODE_ENV === 'production') {
    for (const name of [
      'SMTP_URL',
      'MAIL_FROM',
      'CONTACT_EMAIL',
      'FORM_SIGNING_SECRET',
      'CREDENTIALS_KEY',
    ] as const) {
      if (!e[name]) problems.push(`${name}: required when NODE_ENV=production`);
    }
  }
  if (e.NODE_ENV === 'production') {
    for (const name of OPERATOR_REQUIRED_IN_PRODUCTION) {
      if (!e[name]) problems.push(`${name}: required when NODE_ENV=production`);
    }
  }
  if (e.NODE_ENV === 'production') problems.push(...tlsProblems(e));
  if (e.NODE_ENV === 'production' && e.TRUST_PROXY === true) {
    problems.push(
      "TRUST_PROXY: 'true' trusts any client's X-Forwarded-For (anyone could pick the address they are limited and blocked as); list the proxies' addresses or CIDRs instead",
    );
  }
  if ((e.STRIPE_SECRET_KEY === undefined) !== (e.STRIPE_WEBHOOK_SECRET === undefined)) {
    problems.push('STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET: set both or neither');
  }
  if (!demoMode && e.MARKETPLACE_PUBLISHER_TENANT_ID && !e.ENTRA_CLIENT_SECRET) {
    problems.push(
      'ENTRA_CLIENT_SECRET: required with MARKETPLACE_PUBLISHER_TENANT_ID (the fulfillment API takes client-credentials tokens)',
    );
  }
  if (!demoMode && e.MARKETPLACE_API_BASE && !e.MARKETPLACE_PUBLISHER_TENANT_ID) {
    problems.push(
      'MARKETPLACE_API_BASE: set MARKETPLACE_PUBLISHER_TENANT_ID too, or the marketplace stays off',
    );
  }
  if (!demoMode && e.CONNECTOR_ALLOWED_ORIGINS.length > 0) {
    problems.push(
      'CONNECTOR_ALLOWED_ORIGINS: only in demo mode; outside it connectors never reach private or loopback addresses',
    );
  }
  if ((e.TLS_CERT_FILE === undefined) !== (e.TLS_KEY_FILE === undefined)) {
    problems.push('TLS_CERT_FILE, TLS_KEY_FILE: set both or neither');
  }
  const accounting = accountingConfig(e, {
    demoMode,
    accountHolder: e.OPERATOR_COMPANY ?? 'Mailissa Demo GmbH',
  });
  problems.push(...accounting.problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const publicBaseUrl = trimTrailingSlash(e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`);
  const emulatorBase = `${publicBaseUrl}/emulator`;
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST ?? (demoMode ? DEMO_HOST : '0.0.0.0'),
    publicBaseUrl,
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: e.DATA_DIR },
    demoMode,
    entra: {
      clientId: e.ENTRA_CLIENT_ID ?? DEMO_CLIENT_ID,
      clientSecret: e.ENTRA_CLIENT_SECRET ?? (demoMode ? DEMO_CLIENT_SECRET : null),
      authorityBase: trimTrailingSlash(
        e.ENTRA_AUTHORITY_BASE ?? (demoMode ? emulatorBase : 'https://login.microsoftonline.com'),
      ),
    },
    graphBaseUrl: trimTrailingSlash(
      e.GRAPH_BASE_URL ?? (demoMode ? `${emulatorBase}/graph/v1.0` : 'https://graph.microsoft.com/v1.0'),
    ),
    registrationUrl: e.REGISTRATION_URL ?? `${publicBaseUrl}/register`,
    emulatorImportDir: e.EMULATOR_IMPORT_DIR ?? null,
    sessionSecret: e.SESSION_SECRET ?? null,
    sessionOldSecrets: e.SESSION_OLD_SECRETS,
    processRole: e.PROCESS_ROLE,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    jobPollSeconds: e.JOB_POLL_SECONDS ?? (e.NODE_ENV === 'test' ? 0.5 : 2),
    metricsToken: e.METRICS_TOKEN ?? null,
    tracing: {
      otlpTracesUrl:
        e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
        (e.OTEL_EXPORTER_OTLP_ENDPOINT
          ? `${trimTrailingSlash(e.OTEL_EXPORTER_OTLP_ENDPOINT)}/v1/traces`
          : null),
      serviceName: e.OTEL_SERVICE_NAME,
    },
    trustProxy: e.TRUST_PROXY,
    tls: e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : null,
    // The demo defaults are obviously fictitious (example.* addresses); production must set them all.
    operatorIdentity: {
      company: e.OPERATOR_COMPANY ?? 'Mailissa Demo GmbH',
      addressLines: addressLines(e.OPERATOR_ADDRESS ?? 'Musterstraße 1; 12345 Musterstadt; Germany'),
      email: e.OPERATOR_EMAIL ?? 'info@mailissa.example',
      phone: e.OPERATOR_PHONE ?? (e.OPERATOR_COMPANY ? null : '+49 000 0000000'),
      representative: e.OPERATOR_REPRESENTATIVE ?? (e.OPERATOR_COMPANY ? null : 'Erika Mustermann'),
      register: e.OPERATOR_REGISTER ?? (e.OPERATOR_COMPANY ? null : 'Amtsgericht Musterstadt, HRB 00000'),
      vatId: e.OPERATOR_VAT_ID ?? null,
      dpo: {
        name: e.OPERATOR_DPO_NAME ?? 'Datenschutz Demo GmbH',
        addressLines: addressLines(e.OPERATOR_DPO_ADDRESS ?? 'Beispielweg 2; 12345 Musterstadt; Germany'),
        email: e.OPERATOR_DPO_EMAIL ?? 'privacy@mailissa.example',
        phone: e.OPERATOR_DPO_PHONE ?? null,
      },
    },
    privacy: {
      policyRevision: e.PRIVACY_POLICY_REVISION,
      ipv6Prefix: e.IPV6_NETWORK_PREFIX,
      usageLogEnabled: e.USAGE_LOG_ENABLED,
      usageLogRetentionDays: e.USAGE_LOG_RETENTION_DAYS,
      consentRecordRetentionDays: e.CONSENT_RECORD_RETENTION_DAYS,
    },
    security: {
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      blockAfterFailures: e.BLOCK_AFTER_FAILURES,
      blockFailureWindowSeconds: e.BLOCK_FAILURE_WINDOW_SECONDS,
      blockDurationSeconds: e.BLOCK_DURATION_SECONDS,
      blockCacheSeconds: e.BLOCK_CACHE_SECONDS,
    },
    session: { idleMinutes: e.SESSION_IDLE_MINUTES },
    operator: {
      tenantId: e.OPERATOR_TENANT_ID ?? null,
      objectIds: e.OPERATOR_OBJECT_IDS ?? null,
      appRole: e.OPERATOR_APP_ROLE ?? null,
    },
    mail: {
      smtpUrl: e.SMTP_URL ?? null,
      from: e.MAIL_FROM ?? 'Mailissa <no-reply@mailissa.localhost>',
      catcherPort: e.MAIL_CATCHER_PORT,
    },
    team: { doneRetentionDays: e.TEAM_DONE_RETENTION_DAYS },
    contact: {
      recipient: e.CONTACT_EMAIL ?? 'contact@mailissa.localhost',
      retentionDays: e.CONTACT_RETENTION_DAYS,
      minSubmitSeconds: e.CONTACT_MIN_SUBMIT_SECONDS,
    },
    formSigningSecret: e.FORM_SIGNING_SECRET ?? null,
    rights: { tenancyDeletionDays: e.TENANCY_DELETION_DAYS },
    credentials: {
      key: e.CREDENTIALS_KEY ?? null,
      oldKeys: e.CREDENTIALS_OLD_KEYS.split(',')
        .map((key) => key.trim())
        .filter(Boolean),
    },
    billing: {
      // Demo mode pays through the payment emulator (apps/server/src/demo/) unless a real key is set.
      stripe:
        e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET
          ? {
              secretKey: e.STRIPE_SECRET_KEY,
              webhookSecret: e.STRIPE_WEBHOOK_SECRET,
              apiBase: trimTrailingSlash(e.STRIPE_API_BASE ?? 'https://api.stripe.com'),
            }
          : demoMode
            ? {
                secretKey: DEMO_STRIPE_SECRET_KEY,
                webhookSecret: DEMO_STRIPE_WEBHOOK_SECRET,
                apiBase: trimTrailingSlash(e.STRIPE_API_BASE ?? `${emulatorBase}/stripe`),
              }
            : null,
      viesBaseUrl: trimTrailingSlash(
        e.VIES_BASE_URL ??
          (demoMode
            ? `${emulatorBase}/vies/taxation_customs/vies/rest-api`
            : 'https://ec.europa.eu/taxation_customs/vies/rest-api'),
      ),
      graceDays: e.BILLING_GRACE_DAYS,
      marketplace:
        demoMode || e.MARKETPLACE_PUBLISHER_TENANT_ID
          ? {
              apiBase: trimTrailingSlash(
                e.MARKETPLACE_API_BASE ??
                  (demoMode ? `${emulatorBase}/marketplace` : 'https://marketplaceapi.microsoft.com'),
              ),
              publisherTenantId: e.MARKETPLACE_PUBLISHER_TENANT_ID?.toLowerCase() ?? null,
            }
          : null,
    },
    accounting: accounting.config,
    connectors: {
      allowedOrigins: demoMode ? [new URL(publicBaseUrl).origin, ...e.CONNECTOR_ALLOWED_ORIGINS] : [],
    },
  };
}
