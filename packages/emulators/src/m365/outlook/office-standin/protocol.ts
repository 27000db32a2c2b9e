/**
 * Messages between the Office.js stand-in (inside the add-in's task-pane frame) and the Outlook
 * emulator page around it. Both run on the server's origin; each side checks the other's origin and
 * window before it believes a message.
 */
//
// Types only: the stand-in is built as one self-contained classic script, so it must share no
// run-time code (no chunk) with the emulator page. Each side has its own small guard.
export type StandinSource = 'mailissa-office-standin';
export type HostSource = 'mailissa-outlook-emulator';

export interface RecipientSnapshot {
  name: string;
  address: string;
}

export interface AttachmentSnapshot {
  /** Graph (REST) attachment id; the stand-in hands the EWS form to the add-in. */
  id: string;
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
  kind: 'file' | 'item' | 'cloud';
}

/** The selected mail as Graph describes it, with Graph (REST) ids. */
export interface ItemSnapshot {
  restId: string;
  internetMessageId: string;
  conversationId: string;
  subject: string;
  from: RecipientSnapshot;
  to: RecipientSnapshot[];
  cc: RecipientSnapshot[];
  createdDateTime: string;
  attachments: AttachmentSnapshot[];
  categories: string[];
  /** Set when the mail is in a shared mailbox the signed-in user opened (docs/microsoft-365.md §5.11). */
  shared?: { owner: string; targetMailbox: string };
}

/** One of several mails selected in the list (what `getSelectedItemsAsync` reports), REST id. */
export interface SelectedSnapshot {
  restId: string;
  subject: string;
  internetMessageId: string;
  conversationId: string;
  hasAttachment: boolean;
}

export interface HostContext {
  displayLanguage: string;
  userProfile: { displayName: string; emailAddress: string; timeZone: string };
  item: ItemSnapshot | null;
  /** The mails selected in the list; one entry (the item) unless several are selected. */
  selected: SelectedSnapshot[];
}

export type StandinToHost =
  | { source: StandinSource; type: 'hello' }
  | { source: StandinSource; type: 'get-as-file'; requestId: string; restId: string }
  | { source: StandinSource; type: 'naa'; payload: string }
  | { source: StandinSource; type: 'display-message-form'; restId: string };

export type HostToStandin =
  | { source: HostSource; type: 'context'; context: HostContext }
  | { source: HostSource; type: 'item-changed'; item: ItemSnapshot | null }
  | { source: HostSource; type: 'selection-changed'; selected: SelectedSnapshot[] }
  | {
      source: HostSource;
      type: 'get-as-file-result';
      requestId: string;
      base64?: string;
      error?: string;
    }
  | { source: HostSource; type: 'naa'; payload: string };
