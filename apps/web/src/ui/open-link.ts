import type { ConnectorType } from '@mailissa/contracts';

/**
 * What the link of a finished transfer opens, by connector: each connector's `TransferResult.url`
 * (apps/server/src/connectors). A record-filing connector links its record, never a folder.
 */
export type OpenLinkKind = 'folder' | 'message' | 'task' | 'issue' | 'card' | 'document' | 'other';

const KIND_OF: Record<ConnectorType, OpenLinkKind> = {
  sharepoint: 'folder',
  onedrive: 'folder',
  webdav: 'folder',
  // The plan's files folder: Graph gives no web link to the task itself.
  planner: 'folder',
  teams_channel: 'message',
  todo: 'task',
  jira: 'issue',
  trello: 'card',
  domino: 'document',
  // No link: the receiver or the recipient keeps the mail.
  webhook: 'other',
  email: 'other',
};

export function openLinkKind(connectorType: ConnectorType): OpenLinkKind {
  return KIND_OF[connectorType];
}

/** The link's text per kind (EN and DE), under `openLink.<kind>` in every surface that shows it. */
export const openLinkTextsEn: Record<OpenLinkKind, string> = {
  folder: 'Open folder',
  message: 'Open channel message',
  task: 'Open task',
  issue: 'Open issue',
  card: 'Open card',
  document: 'Open document',
  other: 'Open',
};

export const openLinkTextsDe: Record<OpenLinkKind, string> = {
  folder: 'Ordner öffnen',
  message: 'Kanalnachricht öffnen',
  task: 'Aufgabe öffnen',
  issue: 'Vorgang öffnen',
  card: 'Karte öffnen',
  document: 'Dokument öffnen',
  other: 'Öffnen',
};
