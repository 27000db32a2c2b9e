import Fastify from 'fastify';
import {
  createDominoEmulator,
  createJiraEmulator,
  createTrelloEmulator,
  type DominoEmulator,
  type JiraEmulator,
  type TrelloEmulator,
} from '../../demo/emulators.js';
import type { GraphClient } from '../../graph/graph-client.js';
import { freePort } from '../../test-support/test-server.js';
import type { ConnectorContext, MailPart, MailSource, TransferProgress } from '../connector.js';

/** The SaaS stand-ins on one loopback port, without the product: fast to start for connector tests. */
export interface SaasEmulators {
  baseUrl: string;
  jira: JiraEmulator;
  trello: TrelloEmulator;
  domino: DominoEmulator;
  close(): Promise<void>;
}

export async function startSaasEmulators(
  options: { maxAttachmentBytes?: number } = {},
): Promise<SaasEmulators> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const app = Fastify({ forceCloseConnections: true });
  const jira = createJiraEmulator({
    publicBaseUrl: baseUrl,
    ...(options.maxAttachmentBytes ? { maxAttachmentBytes: options.maxAttachmentBytes } : {}),
  });
  await app.register(jira.plugin);
  const trello = createTrelloEmulator({
    publicBaseUrl: baseUrl,
    ...(options.maxAttachmentBytes ? { maxAttachmentBytes: options.maxAttachmentBytes } : {}),
  });
  await app.register(trello.plugin);
  const domino = createDominoEmulator({
    publicBaseUrl: baseUrl,
    ...(options.maxAttachmentBytes ? { maxAttachmentBytes: options.maxAttachmentBytes } : {}),
  });
  await app.register(domino.plugin);
  await app.listen({ port, host: '127.0.0.1' });
  return { baseUrl, jira, trello, domino, close: () => app.close() };
}

/** These connectors never use Graph; a call would be a bug, so it fails loudly. */
const noGraph = new Proxy(
  {},
  {
    get() {
      throw new Error('this connector must not call Graph');
    },
  },
) as GraphClient;

export function restContext(credential?: Record<string, string>): ConnectorContext {
  return { graph: noGraph, fetch, ...(credential ? { credential } : {}) };
}

export function part(key: string, name: string, content: Buffer, opened?: string[]): MailPart {
  return {
    key,
    name,
    async open() {
      opened?.push(key);
      return { body: new Blob([new Uint8Array(content)]).stream(), size: content.byteLength };
    },
  };
}

export function mailOf(subject: string, text: string, parts: MailPart[]): MailSource {
  return {
    messageId: `m-${subject}`,
    internetMessageId: `<${subject.replace(/\W/g, '')}@contoso.example>`,
    subject,
    receivedAt: new Date('2026-11-09T10:20:00Z'),
    parts,
    from: { name: 'Lena Vogt', address: 'lena.vogt@fabrikam.example' },
    categories: ['Customer', 'Urgent'],
    readText: async () => text,
  };
}

export type MemoryProgress = TransferProgress & {
  rows: Map<string, { name: string; size: number; done: boolean }>;
  /** Makes the next `done` of this key throw, as a worker dying right after the request would. */
  crashOnDone(key: string): void;
};

export function memoryProgress(): MemoryProgress {
  const rows = new Map<string, { name: string; size: number; done: boolean }>();
  const crashes = new Set<string>();
  return {
    rows,
    crashOnDone(key) {
      crashes.add(key);
    },
    async recorded(key) {
      return rows.get(key);
    },
    async reserve(key, name, size) {
      rows.set(key, { name, size, done: false });
    },
    async done(key, name, size) {
      if (crashes.delete(key)) throw new Error(`worker died before recording ${key}`);
      rows.set(key, { name, size, done: true });
    },
  };
}
