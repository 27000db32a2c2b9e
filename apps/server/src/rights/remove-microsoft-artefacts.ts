import { type Database, withTenant } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { graphFailureOf } from '../graph/graph-errors.js';
import type { TenantGraphFactory } from '../graph/tenant-graph.js';
import { listMicrosoftArtefacts, type MicrosoftArtefact } from './microsoft-artefacts.js';

/** What the end of a tenancy did in the customer's Microsoft 365, kept in the deletion record. */
export interface ArtefactRemoval {
  removed: number;
  /** Graph no longer knew it (a user deleted the category, a subscription expired). */
  alreadyGone: number;
  /** The tenant no longer lets Mailissa in (consent revoked, the app removed): nothing to be done. */
  notAllowed: number;
  /** Graph was unavailable; the deletion goes ahead and the record says what is left. */
  failed: number;
  /** One line per artefact not removed, for the operator (no personal data: kind and Graph id). */
  left: string[];
}

function pathOf(artefact: MicrosoftArtefact): string {
  return artefact.kind === 'subscription'
    ? `/subscriptions/${encodeURIComponent(artefact.graphId)}`
    : `/users/${encodeURIComponent(artefact.mailboxObjectId ?? '')}/outlook/masterCategories/${encodeURIComponent(artefact.graphId)}`;
}

/**
 * Removes, through Graph with the application's own access, what Mailissa created in the tenant's
 * Microsoft 365 (issue 13, part 6): the master categories it added to mailboxes and its change
 * notification subscriptions, as recorded in `microsoft_artefacts`. Runs before the tenant's rows
 * are deleted. Where the tenant no longer allows it (the token is refused, Graph answers 401 or 403)
 * nothing more can be done from our side and the remaining artefacts are counted, not retried: a
 * tenant that revoked consent must not block its own deletion.
 */
export async function removeMicrosoftArtefacts(
  db: Database,
  graphFor: TenantGraphFactory,
  tenantId: string,
): Promise<ArtefactRemoval> {
  const { microsoftTenantId, artefacts } = await withTenant(db, tenantId, async (tx) => {
    const tenant = await tx.query<{ microsoft_tenant_id: string }>(
      'select microsoft_tenant_id from tenants where id = $1',
      [tenantId],
    );
    return {
      microsoftTenantId: tenant.rows[0]?.microsoft_tenant_id ?? '',
      artefacts: await listMicrosoftArtefacts(tx, tenantId),
    };
  });
  const outcome: ArtefactRemoval = { removed: 0, alreadyGone: 0, notAllowed: 0, failed: 0, left: [] };
  if (artefacts.length === 0) return outcome;
  const graph = graphFor(microsoftTenantId, { profile: 'worker' });
  let allowed = true;
  for (const artefact of artefacts) {
    const label = `${artefact.kind} ${artefact.graphId}`;
    if (!allowed) {
      outcome.notAllowed += 1;
      outcome.left.push(`${label}: not allowed`);
      continue;
    }
    try {
      const response = await graph.request({
        method: 'DELETE',
        path: pathOf(artefact),
        accept: [404],
        what: `remove ${artefact.kind} at the end of the tenancy`,
      });
      await response.body?.cancel();
      if (response.status === 404) outcome.alreadyGone += 1;
      else outcome.removed += 1;
    } catch (error) {
      const status = graphFailureOf(error)?.graphStatus;
      const tokenRefused =
        error instanceof AppError && error.code === 'graph_token_failed' && error.status !== 503;
      if (tokenRefused || status === 401 || status === 403) {
        allowed = false;
        outcome.notAllowed += 1;
        outcome.left.push(`${label}: not allowed`);
      } else if (error instanceof AppError) {
        // Throttled, unavailable or refused for another reason: left for the operator to see.
        outcome.failed += 1;
        outcome.left.push(`${label}: ${error instanceof AppError ? error.code : 'failed'}`);
      } else {
        throw error;
      }
    }
  }
  return outcome;
}
