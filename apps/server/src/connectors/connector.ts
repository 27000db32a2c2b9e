import type { ConnectorType } from '@mailissa/contracts';
import type { z } from 'zod';
import type { GraphClient } from '../graph/graph-client.js';

/**
 * The one interface every connector implements (docs/architecture.md §8): describe its settings, validate them,
 * test the connection, transfer a mail stream, and find existing records to link a mail to.
 */
export { CONNECTOR_TYPES, type ConnectorType } from '@mailissa/contracts';

/** A settings field, enough for the portal to render a form without knowing the connector. */
export interface SettingField {
  key: string;
  /** `sharepoint_*`, `teams_*` and `planner_*` are filled by the portal's pickers, not typed. */
  kind:
    | 'text'
    | 'path'
    | 'secret'
    | 'sharepoint_drive'
    | 'sharepoint_folder'
    | 'teams_team'
    | 'teams_channel'
    | 'planner_plan'
    | 'planner_bucket';
  required: boolean;
  label: { en: string; de: string };
  help?: { en: string; de: string };
}

/** A byte stream whose length is known before the first byte is sent. */
export interface SizedStream {
  body: ReadableStream<Uint8Array>;
  size: number;
}

/** One file of a mail: the MIME itself or an attachment, opened anew for every attempt. */
export interface MailPart {
  /** Stable per mail (`message` or the Graph attachment id): the key for idempotent re-runs. */
  key: string;
  /** The name as the mail calls it; untrusted. */
  name: string;
  open(): Promise<SizedStream>;
}

/** The mail being transferred. Nothing of it is held in memory beyond the stream being copied. */
export interface MailSource {
  messageId: string;
  internetMessageId: string;
  subject: string;
  receivedAt: Date;
  parts: MailPart[];
}

export interface WrittenFile {
  key: string;
  name: string;
  size: number;
}

/**
 * What the worker remembers between attempts so a re-run after a crash neither repeats nor duplicates
 * a file: the name chosen for each part before its upload starts, and which parts are finished.
 */
export interface TransferProgress {
  recorded(key: string): Promise<{ name: string; size: number; done: boolean } | undefined>;
  /** Records the name about to be written, before the upload (so a crash leaves a trace). */
  reserve(key: string, name: string, size: number): Promise<void>;
  done(key: string, name: string, size: number): Promise<void>;
}

export interface ConnectorContext {
  /** Graph for the target's Microsoft tenant, app-only. */
  graph: GraphClient;
  /**
   * Graph as the user who asked for the transfer (delegated, on-behalf-of; docs/decisions/075), for
   * connectors with `actsAsUser`. Absent in the portal's connection test, where no user acts.
   */
  userGraph?: GraphClient;
  signal?: AbortSignal;
}

export interface TransferResult {
  /** Where the user can see the result, e.g. the folder's webUrl. */
  url: string | null;
  files: WrittenFile[];
}

export interface ExistingRecord {
  id: string;
  title: string;
  url: string | null;
}

export interface ConnectionTest {
  ok: boolean;
  /** Safe to show to an administrator. */
  message: string;
}

export interface Connector<Settings> {
  type: ConnectorType;
  /** How the portal names the connector. */
  names: { en: string; de: string };
  /** The portal offers this picker for the connector's fields. */
  picker: 'sharepoint' | 'teams_channel' | 'planner' | null;
  /**
   * Writes in Microsoft 365 as the signed-in user (on-behalf-of), so Microsoft decides what the user
   * may reach: a transfer request stores the user's delegated grant and the job passes `userGraph`.
   */
  actsAsUser?: boolean;
  /** Users keep their own credentials for it in the credentials store ("Manage passwords"). */
  needsUserCredentials: boolean;
  describeSettings(): SettingField[];
  settingsSchema: z.ZodType<Settings>;
  /** The settings as stored, or an AppError 400 naming the bad field. */
  validateSettings(input: unknown): Settings;
  testConnection(context: ConnectorContext, settings: Settings): Promise<ConnectionTest>;
  transferMail(
    context: ConnectorContext,
    settings: Settings,
    mail: MailSource,
    progress: TransferProgress,
  ): Promise<TransferResult>;
  findExistingRecords(
    context: ConnectorContext,
    settings: Settings,
    query: { text: string },
  ): Promise<ExistingRecord[]>;
}
