import type { connectorDescriptionSchema } from '@mailissa/contracts';
import type { z } from 'zod';
import { AppError } from '../errors/app-error.js';

type ConnectorDescription = z.infer<typeof connectorDescriptionSchema>;

import type { Connector, ConnectorType } from './connector.js';
import { dominoConnector } from './domino/domino-connector.js';
import { emailConnector } from './email/email-connector.js';
import { jiraConnector } from './jira/jira-connector.js';
import { oneDriveConnector } from './onedrive/onedrive-connector.js';
import { plannerConnector } from './planner/planner-connector.js';
import { sharePointConnector } from './sharepoint/sharepoint-connector.js';
import { teamsChannelConnector } from './teams-channel/teams-channel-connector.js';
import { todoConnector } from './todo/todo-connector.js';
import { trelloConnector } from './trello/trello-connector.js';
import { webDavConnector } from './webdav/webdav-connector.js';
import { webhookConnector } from './webhook/webhook-connector.js';

const connectors: { [Type in ConnectorType]: Connector<unknown> } = {
  sharepoint: sharePointConnector as Connector<unknown>,
  onedrive: oneDriveConnector as Connector<unknown>,
  teams_channel: teamsChannelConnector as Connector<unknown>,
  planner: plannerConnector as Connector<unknown>,
  todo: todoConnector as Connector<unknown>,
  webdav: webDavConnector as Connector<unknown>,
  jira: jiraConnector as Connector<unknown>,
  trello: trelloConnector as Connector<unknown>,
  domino: dominoConnector as Connector<unknown>,
  webhook: webhookConnector as Connector<unknown>,
  email: emailConnector as Connector<unknown>,
};

/** Every connector, described for the portal: a new entry above appears there by itself. */
export function describeConnectors(): ConnectorDescription[] {
  return Object.values(connectors).map((connector) => ({
    type: connector.type,
    name: connector.names,
    fields: connector.describeSettings(),
    picker: connector.picker,
    credentialKind: connector.credentialKind,
    credentialFields: connector.credentialFields ?? [],
    capabilities: [...connector.capabilities],
    generatesSecret: connector.generateCredential !== undefined,
  }));
}

export function connectorFor(type: string): Connector<unknown> {
  const connector = (connectors as Record<string, Connector<unknown> | undefined>)[type];
  if (!connector) throw new AppError(400, 'unknown_connector', `There is no connector "${type}".`);
  return connector;
}
