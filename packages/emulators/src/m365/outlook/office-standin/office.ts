/**
 * The Outlook emulator's stand-in for Office.js, served at /emulator/outlook/office.js in demo mode.
 * It implements the subset of the Outlook mailbox API (read mode) that the add-in uses — the same
 * interface the add-in is typed against (addin/office-api.ts) — for the mail selected in the
 * emulator's list. The emulator page around the task-pane frame answers over postMessage; both run on
 * the server's origin, and each message is checked for that origin and for the parent window.
 *
 * It also provides `window.nestedAppAuthBridge`, the bridge that real Office hosts give MSAL for
 * nested app authentication, with the emulator page acting as the broker. The add-in therefore signs
 * in exactly as it does in new Outlook, without a popup.
 *
 * Built by Vite as one self-contained classic script: no imports of run-time code from elsewhere.
 */
import type {
  AttachmentDetails,
  EmailAddressDetails,
  ItemChangedEventArgs,
  MessageRead,
  OfficeApi,
  OfficeAsyncResult,
  OfficeCallback,
  OfficeInfo,
  SelectedItemDetails,
  SharedProperties,
} from '@mailissa/web/addin/office-api.js';
import { ewsIdToRestId, restIdToEwsId } from './message-ids.js';
import type {
  HostContext,
  HostToStandin,
  ItemSnapshot,
  RecipientSnapshot,
  SelectedSnapshot,
  StandinToHost,
} from './protocol.js';

const ITEM_CHANGED = 'olkItemSelectedChanged';
const SELECTED_ITEMS_CHANGED = 'olkSelectedItemsChanged';
const HELLO_TIMEOUT_MS = 5000;

const hostOrigin = window.location.origin;
const hostWindow: Window | null = window.parent !== window ? window.parent : null;

function send(message: StandinToHost): void {
  hostWindow?.postMessage(message, hostOrigin);
}

function isFromHost(event: MessageEvent): event is MessageEvent<HostToStandin> {
  const data: unknown = event.data;
  return (
    event.origin === hostOrigin &&
    hostWindow !== null &&
    event.source === hostWindow &&
    typeof data === 'object' &&
    data !== null &&
    (data as { source?: unknown }).source === 'mailissa-outlook-emulator'
  );
}

function succeeded<T>(value: T): OfficeAsyncResult<T> {
  return { status: 'succeeded', value };
}

function failed<T>(code: number, name: string, message: string): OfficeAsyncResult<T> {
  return { status: 'failed', value: undefined as T, error: { code, name, message } };
}

function toEmailAddress(recipient: RecipientSnapshot): EmailAddressDetails {
  return { displayName: recipient.name, emailAddress: recipient.address, recipientType: 'user' };
}

let requestCounter = 0;
const pendingFiles = new Map<string, OfficeCallback<string>>();

function toMessageRead(item: ItemSnapshot): MessageRead {
  const attachments: AttachmentDetails[] = item.attachments.map((attachment) => ({
    id: restIdToEwsId(attachment.id),
    name: attachment.name,
    contentType: attachment.contentType,
    size: attachment.size,
    attachmentType: attachment.kind,
    isInline: attachment.isInline,
  }));
  return {
    itemId: restIdToEwsId(item.restId),
    itemType: 'message',
    internetMessageId: item.internetMessageId,
    conversationId: item.conversationId,
    subject: item.subject,
    from: toEmailAddress(item.from),
    to: item.to.map(toEmailAddress),
    cc: item.cc.map(toEmailAddress),
    dateTimeCreated: new Date(item.createdDateTime),
    attachments,
    categories: {
      getAsync(callback) {
        const categories = item.categories.map((displayName) => ({ displayName, color: 'None' }));
        queueMicrotask(() => callback(succeeded(categories.length > 0 ? categories : null)));
      },
    },
    getAsFileAsync(callback) {
      requestCounter += 1;
      const requestId = `file-${requestCounter}`;
      pendingFiles.set(requestId, callback);
      send({ source: 'mailissa-office-standin', type: 'get-as-file', requestId, restId: item.restId });
    },
    // Outlook offers this only on items of shared mailboxes and delegated folders.
    ...(item.shared
      ? {
          getSharedPropertiesAsync(callback: OfficeCallback<SharedProperties>) {
            const shared = item.shared;
            if (!shared) return;
            queueMicrotask(() =>
              callback(
                succeeded({
                  owner: shared.owner,
                  targetMailbox: shared.targetMailbox,
                  targetRestUrl: `${hostOrigin}/emulator/graph/v1.0`,
                  // Read (1) and write (2): what full access to a shared mailbox grants.
                  delegatePermissions: 3,
                }),
              ),
            );
          },
        }
      : {}),
  };
}

function toSelectedItem(selected: SelectedSnapshot): SelectedItemDetails {
  return {
    itemId: restIdToEwsId(selected.restId),
    // As Microsoft's reference shows them: the mode and type capitalised (docs/microsoft-365.md §8.12).
    itemMode: 'Read',
    itemType: 'Message',
    subject: selected.subject,
    internetMessageId: selected.internetMessageId,
    conversationId: selected.conversationId,
    hasAttachment: selected.hasAttachment,
  };
}

let context: HostContext | null = null;
let selection: SelectedSnapshot[] = [];
const handlers = new Map<string, (args: ItemChangedEventArgs) => void>();
const naaListeners = new Set<(response: { data: string }) => void>();

const mailbox: OfficeApi['context']['mailbox'] = {
  item: null,
  userProfile: { displayName: '', emailAddress: '', timeZone: 'UTC' },
  convertToRestId: (itemId) => ewsIdToRestId(itemId),
  convertToEwsId: (itemId) => restIdToEwsId(itemId),
  addHandlerAsync(eventType, handler, callback) {
    if (eventType !== ITEM_CHANGED && eventType !== SELECTED_ITEMS_CHANGED) {
      callback?.(failed(9016, 'InvalidEventType', `The stand-in does not support ${eventType}`));
      return;
    }
    handlers.set(eventType, handler);
    callback?.(succeeded(undefined));
  },
  removeHandlerAsync(eventType, callback) {
    handlers.delete(eventType);
    callback?.(succeeded(undefined));
  },
  getSelectedItemsAsync(callback) {
    const items = selection.map(toSelectedItem);
    queueMicrotask(() => callback(succeeded(items)));
  },
  displayMessageForm(itemId) {
    send({ source: 'mailissa-office-standin', type: 'display-message-form', restId: ewsIdToRestId(itemId) });
  },
};

const officeContext: OfficeApi['context'] = {
  displayLanguage: 'en-US',
  mailbox,
  requirements: {
    isSetSupported(name, minVersion) {
      const version = Number(minVersion ?? '1.1');
      if (name.toLowerCase() === 'mailbox') return version <= 1.15;
      if (name.toLowerCase() === 'nestedappauth') return version <= 1.1;
      return false;
    },
  },
};

let resolveReady: (info: OfficeInfo) => void = () => {};
const ready = new Promise<OfficeInfo>((resolve) => {
  resolveReady = resolve;
});

const office: OfficeApi = {
  onReady(callback) {
    return ready.then((info) => {
      callback?.(info);
      return info;
    });
  },
  context: officeContext,
  AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
  EventType: { ItemChanged: ITEM_CHANGED, SelectedItemsChanged: SELECTED_ITEMS_CHANGED },
  MailboxEnums: {
    RestVersion: { v1_0: 'v1.0', v2_0: 'v2.0', Beta: 'beta' },
    ItemType: { Message: 'message', Appointment: 'appointment' },
    AttachmentType: { File: 'file', Item: 'item', Cloud: 'cloud', Base64: 'base64' },
  },
};

window.addEventListener('message', (event) => {
  if (!isFromHost(event)) return;
  const message = event.data;
  switch (message.type) {
    case 'context': {
      const first = context === null;
      context = message.context;
      officeContext.displayLanguage = message.context.displayLanguage;
      mailbox.userProfile = message.context.userProfile;
      mailbox.item = message.context.item ? toMessageRead(message.context.item) : null;
      selection = message.context.selected;
      if (first) resolveReady({ host: 'Outlook', platform: 'OfficeOnline' });
      break;
    }
    case 'item-changed':
      mailbox.item = message.item ? toMessageRead(message.item) : null;
      handlers.get(ITEM_CHANGED)?.({ type: ITEM_CHANGED });
      break;
    case 'selection-changed':
      selection = message.selected;
      handlers.get(SELECTED_ITEMS_CHANGED)?.({ type: SELECTED_ITEMS_CHANGED });
      break;
    case 'get-as-file-result': {
      const callback = pendingFiles.get(message.requestId);
      pendingFiles.delete(message.requestId);
      if (!callback) break;
      callback(
        message.base64 !== undefined
          ? succeeded(message.base64)
          : failed(9020, 'GenericResponseError', message.error ?? 'The mail could not be read.'),
      );
      break;
    }
    case 'naa':
      for (const listener of naaListeners) listener({ data: message.payload });
      break;
  }
});

interface NestedAppAuthBridge {
  addEventListener(eventName: string, callback: (response: { data: string }) => void): void;
  removeEventListener(eventName: string, callback: (response: { data: string }) => void): void;
  postMessage(message: string): void;
}

const bridge: NestedAppAuthBridge = {
  addEventListener(eventName, callback) {
    if (eventName === 'message') naaListeners.add(callback);
  },
  removeEventListener(eventName, callback) {
    if (eventName === 'message') naaListeners.delete(callback);
  },
  postMessage(payload) {
    send({ source: 'mailissa-office-standin', type: 'naa', payload });
  },
};

const globals = globalThis as unknown as { Office: OfficeApi; nestedAppAuthBridge?: NestedAppAuthBridge };
globals.Office = office;

if (hostWindow) {
  globals.nestedAppAuthBridge = bridge;
  send({ source: 'mailissa-office-standin', type: 'hello' });
  // Opened outside the emulator's frame: behave like Office.js outside an Office host.
  setTimeout(() => {
    if (context === null) resolveReady({ host: null, platform: null });
  }, HELLO_TIMEOUT_MS);
} else {
  resolveReady({ host: null, platform: null });
}
