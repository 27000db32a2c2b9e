import { AppError } from '../errors/app-error.js';
import type { Connector, ConnectorType } from './connector.js';
import { sharePointConnector } from './sharepoint/sharepoint-connector.js';

const connectors: { [Type in ConnectorType]: Connector<unknown> } = {
  sharepoint: sharePointConnector as Connector<unknown>,
};

export function connectorFor(type: string): Connector<unknown> {
  const connector = (connectors as Record<string, Connector<unknown> | undefined>)[type];
  if (!connector) throw new AppError(400, 'unknown_connector', `There is no connector "${type}".`);
  return connector;
}
