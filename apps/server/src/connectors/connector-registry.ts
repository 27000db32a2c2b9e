import type { connectorDescriptionSchema } from '@mailissa/contracts';
import type { z } from 'zod';
import { AppError } from '../errors/app-error.js';

type ConnectorDescription = z.infer<typeof connectorDescriptionSchema>;

import type { Connector, ConnectorType } from './connector.js';
import { oneDriveConnector } from './onedrive/onedrive-connector.js';
import { plannerConnector } from './planner/planner-connector.js';
import { sharePointConnector } from './sharepoint/sharepoint-connector.js';
import { teamsChannelConnector } from './teams-channel/teams-channel-connector.js';
import { todoConnector } from './todo/todo-connector.js';

const connectors: { [Type in ConnectorType]: Connector<unknown> } = {
  sharepoint: sharePointConnector as Connector<unknown>,
  onedrive: oneDriveConnector as Connector<unknown>,
  teams_channel: teamsChannelConnector as Connector<unknown>,
  planner: plannerConnector as Connector<unknown>,
  todo: todoConnector as Connector<unknown>,
};

/** Every connector, described for the portal: a new entry above appears there by itself. */
export function describeConnectors(): ConnectorDescription[] {
  return Object.values(connectors).map((connector) => ({
    type: connector.type,
    name: connector.names,
    fields: connector.describeSettings(),
    picker: connector.picker,
    needsUserCredentials: connector.needsUserCredentials,
  }));
}

export function connectorFor(type: string): Connector<unknown> {
  const connector = (connectors as Record<string, Connector<unknown> | undefined>)[type];
  if (!connector) throw new AppError(400, 'unknown_connector', `There is no connector "${type}".`);
  return connector;
}
