import { AppError } from '../../errors/app-error.js';
import type { GraphClient } from '../../graph/graph-client.js';
import { graphFailureOf } from '../../graph/graph-errors.js';
import type { ConnectorContext } from '../connector.js';

/** The delegated Graph client of a transfer; the transfer job always passes one to `actsAsUser` connectors. */
export function userGraphOf(context: ConnectorContext): GraphClient {
  if (!context.userGraph) {
    throw new Error('a connector that acts as the user was called without a delegated Graph client');
  }
  return context.userGraph;
}

/**
 * Turns what Microsoft said to the user's delegated call into a reason the user can act on, as the
 * SharePoint connector's callers do for app-only calls: 403 means Microsoft does not let this user
 * write there (not a member of the team or plan), 404 that the target is gone. Throttling and
 * outages stay Graph failures, so the transfer job retries them.
 */
export function classifyUserFailure(error: unknown, where: string): never {
  const failure = graphFailureOf(error);
  if (failure?.graphStatus === 403) {
    throw new AppError(
      403,
      'target_forbidden',
      `Microsoft 365 does not let you write to ${where}. Ask its owner to add you, or an administrator to check the target.`,
      { detail: `Graph answered 403 ${failure.graphCode}`, cause: error },
    );
  }
  if (failure?.graphStatus === 404) {
    throw new AppError(404, 'target_misconfigured', `${where} was not found in Microsoft 365.`, {
      detail: `Graph answered 404 ${failure.graphCode}`,
      cause: error,
    });
  }
  if (failure?.graphStatus === 401) {
    throw new AppError(
      401,
      'delegated_sign_in_required',
      'Mailissa may no longer act for you in Microsoft 365. Open Mailissa in Outlook again and repeat the transfer.',
      { detail: `Graph answered 401 ${failure.graphCode}`, cause: error },
    );
  }
  throw error;
}

/** Runs a step of a transfer as the user, classifying Microsoft's refusals. */
export async function asUser<T>(where: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    classifyUserFailure(error, where);
  }
}

/** The settings as stored, or an AppError 400 naming the bad field (as the SharePoint connector). */
export function parseSettings<T>(
  schema: {
    safeParse(
      input: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  input: unknown,
): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'settings';
    throw new AppError(400, 'invalid_settings', `settings.${field}: ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}
