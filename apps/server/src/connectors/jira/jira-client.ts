import { AppError } from '../../errors/app-error.js';
import type { ConnectorContext } from '../connector.js';
import { type TargetCall, type TargetSystem, targetRequest } from '../rest-target/target-http.js';
import { type JiraSettings, jiraCredentialSchema } from './jira.schemas.js';

/** Jira's error body: `{ errorMessages: string[], errors: { field: message } }`; we log field names only. */
export const JIRA: TargetSystem = {
  name: 'Jira',
  describeError(_status, body) {
    try {
      const parsed = JSON.parse(body) as { errorMessages?: unknown; errors?: unknown };
      const fields =
        parsed.errors && typeof parsed.errors === 'object' ? Object.keys(parsed.errors as object) : [];
      const messages = Array.isArray(parsed.errorMessages) ? parsed.errorMessages.length : 0;
      return `${messages} error message(s)${fields.length > 0 ? `, fields: ${fields.join(', ')}` : ''}`;
    } catch {
      return 'no JSON error body';
    }
  },
};

export interface JiraClient {
  api(path: string): string;
  browse(key: string): string;
  request(call: Omit<TargetCall, 'url'> & { path: string }): Promise<Response>;
}

/**
 * Calls to one Jira site as one user: Basic auth with the user's e-mail and API token (Atlassian's
 * "basic auth for REST APIs"), through the context's guarded fetch.
 */
export function jiraClient(context: ConnectorContext, settings: JiraSettings, now: () => Date): JiraClient {
  const credential = jiraCredentialSchema.safeParse(context.credential ?? {});
  if (!credential.success)
    throw new AppError(401, 'target_credentials_missing', 'Connect your Jira account first.');
  const authorization = `Basic ${Buffer.from(`${credential.data.email}:${credential.data.apiToken}`).toString('base64')}`;
  const api = (path: string) => `${settings.siteUrl}/rest/api/3${path}`;
  return {
    api,
    browse: (key) => `${settings.siteUrl}/browse/${encodeURIComponent(key)}`,
    request({ path, headers, ...call }) {
      return targetRequest(
        context,
        JIRA,
        { ...call, url: api(path), headers: { authorization, ...headers } },
        now,
      );
    },
  };
}

/** A JQL string literal: double quotes, with backslash and quote escaped. */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Words for `text ~`: JQL's reserved characters would change the query's meaning, so they go. */
export function jqlWords(text: string): string {
  return text
    .replace(/[+\-&|!(){}[\]^~*?\\:"'/]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
}
