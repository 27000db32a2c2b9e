import type { ConnectorType, TargetColumn } from '@mailissa/contracts';
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
  /**
   * `sharepoint_*`, `teams_*` and `planner_*` are filled by the portal's pickers, not typed.
   * `url` fields pass the SSRF guard's check when saved (connectors/kit/check-settings-urls.ts).
   */
  kind:
    | 'text'
    | 'path'
    | 'secret'
    | 'url'
    | 'email'
    | 'sharepoint_drive'
    | 'sharepoint_folder'
    | 'teams_team'
    | 'teams_channel'
    | 'planner_plan'
    | 'planner_bucket'
    /** A list of `{ field, source }` rows: the system's field and the part of the mail that fills it. */
    | 'field_mapping';
  required: boolean;
  label: { en: string; de: string };
  help?: { en: string; de: string };
  /** For `field_mapping`: what of a mail a field can be filled with, as the portal names it. */
  sources?: { key: string; label: { en: string; de: string } }[];
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
  /** The sender as the mail states it (record-creating connectors map it to a field). */
  from?: { name: string; address: string };
  /** Outlook categories of the mail. */
  categories?: string[];
  /**
   * The mail's text (plain), read only when a connector writes it into a record (an issue's
   * description, a card, a document's body); held only while that request is built, never stored.
   */
  readText?: () => Promise<string>;
  /** The `.eml`'s file name, from the target's template or typed by the user; untrusted. */
  fileName?: string;
  /** A folder below the target's folder (`a/b`), created if missing; untrusted, checked by the connector. */
  subfolder?: string;
  /**
   * Values for the target's columns (SharePoint list item fields), by column name, as the target's
   * column mapping chose them; written to the list item of every file of the transfer.
   */
  metadata?: Record<string, string>;
}

/** What the user chose for this one transfer, beyond the target's settings. */
export interface TransferChoices {
  /** An existing record (issue, card, document) to add the mail to instead of creating one. */
  linkTo?: string;
}

export interface WrittenFile {
  key: string;
  name: string;
  size: number;
  /** Where the connector can find the file again (a drive item id), to delete or annotate it. */
  location?: string;
}

/**
 * What the worker remembers between attempts so a re-run after a crash neither repeats nor duplicates
 * a file: the name chosen for each part before its upload starts, and which parts are finished.
 */
export interface TransferProgress {
  recorded(
    key: string,
  ): Promise<{ name: string; size: number; done: boolean; location?: string | undefined } | undefined>;
  /** Records the name about to be written, before the upload (so a crash leaves a trace). */
  reserve(key: string, name: string, size: number): Promise<void>;
  done(key: string, name: string, size: number, location?: string): Promise<void>;
  /**
   * Bytes of the part being written so far, for the live progress the user sees. Rejects when the
   * user cancelled the transfer: the connector stops writing and lets the error through.
   */
  bytes?(key: string, written: number): Promise<void>;
}

export interface ConnectorContext {
  /** Graph for the target's Microsoft tenant, app-only. */
  graph: GraphClient;
  /**
   * Graph as the user who asked for the transfer (delegated, on-behalf-of; docs/decisions/075), for
   * connectors with `actsAsUser`. Absent in the portal's connection test, where no user acts.
   */
  userGraph?: GraphClient;
  /**
   * The only way a connector reaches a URL a customer entered: the SSRF-guarded fetch
   * (connectors/kit/guarded-fetch.ts). It refuses private, loopback, link-local and other special
   * addresses, connects to the address it checked, and checks every redirect. Demo mode allows the
   * local emulators by an explicit list; production has none.
   */
  fetch: typeof fetch;
  /**
   * The decrypted credential fields (see `credentialFields`): the user's own for `credentialKind:
   * 'user'`, the tenant's for `'tenant'`; absent for `'none'`. Never logged, never returned.
   */
  credential?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * Short-lived signed links to this transfer's parts on our own API (connectors/webhook/), for
   * connectors that hand the receiver links instead of bytes. Absent outside a transfer.
   */
  downloadLinks?: DownloadLinks;
  /** The product's own SMTP (mail/), for connectors that forward the mail. Absent outside a transfer. */
  mailer?: ConnectorMailer;
}

export interface DownloadLinks {
  /** A link to one part (`MailPart.key`) that works until `expiresAt`. */
  linkFor(partKey: string, lifetimeMs: number): { url: string; expiresAt: Date };
}

/** A mail the e-mail connector sends: the original travels as an attachment, streamed. */
export interface ForwardedMail {
  to: string;
  subject: string;
  text: string;
  /**
   * Fixed per transfer and kept across retries: the mailer makes the Message-ID of it, so the
   * receiving system can recognise a mail sent again after a crash.
   */
  marker: string;
  attachments: { filename: string; contentType: string; content: ReadableStream<Uint8Array> }[];
}

export interface ConnectorMailer {
  forward(mail: ForwardedMail): Promise<void>;
}

/** What a connector can do; the portal and the add-in offer only what is listed. */
export type ConnectorCapability =
  | 'write_files'
  | 'create_record'
  | 'link_existing'
  | 'search_records'
  | 'field_mapping';

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
  /**
   * Whose credentials the connector needs: none (app-only, e.g. SharePoint), the tenant's (entered by
   * an administrator with the target), or each user's own (entered in the add-in on first use, listed
   * in "Manage passwords").
   */
  credentialKind: 'none' | 'tenant' | 'user';
  /** The fields of that credential (e.g. user name and app password); empty for `credentialKind: 'none'`. */
  credentialFields?: SettingField[];
  /**
   * The server makes the tenant credential itself (a webhook's signing secret): created with the
   * target, sealed in the credential store, shown to the administrator once. Returns the fields.
   */
  generateCredential?: () => { fields: Record<string, string>; shown: string };
  capabilities: readonly ConnectorCapability[];
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
    choices?: TransferChoices,
  ): Promise<TransferResult>;
  findExistingRecords(
    context: ConnectorContext,
    settings: Settings,
    query: { text: string },
  ): Promise<ExistingRecord[]>;
  /**
   * For `link_existing`: what is wrong with a record id the user sent as `linkTo` (e.g. "is not a
   * Jira issue key like MAIL-12"), or null when it has the system's form. Checked when the transfer
   * is asked for, so a bad id is a 400 then and not a failed job later.
   */
  recordIdProblem?(id: string): string | null;
  /**
   * Deletes files this connector wrote: a cancelled or failed transfer leaves nothing half-written,
   * and "replace" removes the earlier copy. Files already gone are no error.
   */
  removeFiles?(
    context: ConnectorContext,
    settings: Settings,
    files: WrittenFile[],
    where: { subfolder?: string },
  ): Promise<void>;
  /** The folders directly below `path` (relative to the target's folder), for the add-in's browser. */
  listFolders?(context: ConnectorContext, settings: Settings, path: string): Promise<{ name: string }[]>;
  /** Creates `path` (relative to the target's folder) and the folders above it. */
  createFolder?(context: ConnectorContext, settings: Settings, path: string): Promise<void>;
  /**
   * The columns of the target's library, for the portal's column mapping (capability
   * `field_mapping`); the connector then writes `MailSource.metadata` into them.
   */
  listColumns?(context: ConnectorContext, settings: Settings): Promise<TargetColumn[]>;
}
