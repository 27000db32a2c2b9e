/**
 * The subset of Office.js (Outlook mailbox API, read mode) that the add-in uses, typed after
 * Microsoft's reference (see docs/microsoft-365.md §8). Real Outlook provides the global
 * `Office`; the Outlook emulator's stand-in implements exactly this interface, so the add-in has no
 * code path of its own for the emulator.
 */
export interface OfficeError {
  name: string;
  message: string;
  code: number;
}

export interface OfficeAsyncResult<T> {
  status: 'succeeded' | 'failed';
  value: T;
  error?: OfficeError;
  asyncContext?: unknown;
}

export type OfficeCallback<T> = (result: OfficeAsyncResult<T>) => void;

export interface EmailAddressDetails {
  displayName: string;
  emailAddress: string;
  recipientType?: string;
}

export interface AttachmentDetails {
  id: string;
  name: string;
  contentType: string;
  size: number;
  attachmentType: string;
  isInline: boolean;
}

export interface CategoryDetails {
  displayName: string;
  color: string;
}

export interface OfficeCategories {
  getAsync(callback: OfficeCallback<CategoryDetails[] | null>): void;
}

export interface MessageRead {
  itemId: string;
  itemType: string;
  internetMessageId: string;
  conversationId: string;
  subject: string;
  from: EmailAddressDetails;
  to: EmailAddressDetails[];
  cc: EmailAddressDetails[];
  dateTimeCreated: Date;
  attachments: AttachmentDetails[];
  categories: OfficeCategories;
  getAsFileAsync(callback: OfficeCallback<string>): void;
  /** Only on a mail opened from a shared mailbox or a delegate's folder (Mailbox 1.8, §5.11). */
  getSharedPropertiesAsync?(callback: OfficeCallback<SharedProperties>): void;
}

/** Who owns the mailbox a shared item is in, and where its REST API is (docs/microsoft-365.md §5.11). */
export interface SharedProperties {
  owner: string;
  targetMailbox: string;
  targetRestUrl: string;
  delegatePermissions: number;
}

export interface UserProfile {
  displayName: string;
  emailAddress: string;
  timeZone: string;
}

export interface ItemChangedEventArgs {
  type: string;
}

/**
 * One of the mails selected in the list (Mailbox 1.13; `internetMessageId`, `conversationId` and
 * `hasAttachment` since 1.15). `itemId` is in EWS format, like `item.itemId`.
 */
export interface SelectedItemDetails {
  itemId: string;
  itemMode: string;
  itemType: string;
  subject: string;
  internetMessageId?: string;
  conversationId?: string;
  hasAttachment?: boolean;
}

export interface Mailbox {
  item: MessageRead | null;
  /** The mails selected in the list, up to 100 (Mailbox 1.13; the manifest's `SupportsMultiSelect`). */
  getSelectedItemsAsync?(callback: OfficeCallback<SelectedItemDetails[]>): void;
  userProfile: UserProfile;
  convertToRestId(itemId: string, restVersion: string): string;
  convertToEwsId(itemId: string, restVersion: string): string;
  addHandlerAsync(
    eventType: string,
    handler: (args: ItemChangedEventArgs) => void,
    callback?: OfficeCallback<undefined>,
  ): void;
  removeHandlerAsync(eventType: string, callback?: OfficeCallback<undefined>): void;
  /** Opens a mail (EWS id) in its own form (Mailbox 1.0); the emulator selects it in its list. */
  displayMessageForm?(itemId: string): void;
}

export interface OfficeContext {
  displayLanguage: string;
  mailbox: Mailbox;
  requirements: { isSetSupported(name: string, minVersion?: string | number): boolean };
}

export interface OfficeInfo {
  host: string | null;
  platform: string | null;
}

export interface OfficeApi {
  onReady(callback?: (info: OfficeInfo) => void): Promise<OfficeInfo>;
  context: OfficeContext;
  AsyncResultStatus: { Succeeded: 'succeeded'; Failed: 'failed' };
  /** `SelectedItemsChanged` (Mailbox 1.13) fires when the selection of several mails changes. */
  EventType: { ItemChanged: string; SelectedItemsChanged?: string };
  MailboxEnums: {
    RestVersion: { v1_0: string; v2_0: string; Beta: string };
    ItemType: { Message: string; Appointment: string };
    AttachmentType: { File: string; Item: string; Cloud: string; Base64: string };
  };
}

/** The Office.js global, or null when the page runs outside an Office host. */
export function officeGlobal(): OfficeApi | null {
  const candidate = (globalThis as { Office?: OfficeApi }).Office;
  return candidate ?? null;
}
