import { z } from 'zod';

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
  HOST: z.string().min(1).default('0.0.0.0'),
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
  TRUST_PROXY: booleanFromEnv.default(false),
});

export type Environment = Record<string, string | undefined>;

export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
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
  trustProxy: boolean;
}

/** The demo application registered in the emulator; never valid against real Entra ID. */
export const DEMO_CLIENT_ID = '6d1c0f52-3a7e-4d6b-9a51-4e0c8b7f2a10';
export const DEMO_CLIENT_SECRET = 'demo-client-secret-only-valid-in-the-emulator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((line) => `  ${line}`).join('\n')}`);
    this.name = 'ConfigError';
  }
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
  if (problems.length > 0) throw new ConfigError(problems);

  const publicBaseUrl = trimTrailingSlash(e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`);
  const emulatorBase = `${publicBaseUrl}/emulator`;
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
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
    trustProxy: e.TRUST_PROXY,
  };
}
