import type { TenantGraphFactory } from '../graph/tenant-graph.js';
import type { JobDefinition, JobDeps } from '../jobs/job-definition.js';
import { deleteTenantData } from './delete-tenant-data.js';
import { findDueTenancies } from './find-due-tenancies.js';
import { releaseEndedHolds } from './release-ended-holds.js';
import { removeMicrosoftArtefacts } from './remove-microsoft-artefacts.js';

export const RIGHTS_RETENTION_QUEUE = 'rights.retention';

/** Nightly: erase held rows whose hold ended, and delete the data of tenancies past their end. */
export function rightsJobs({ context, log }: JobDeps): JobDefinition[] {
  return [
    {
      queue: RIGHTS_RETENTION_QUEUE,
      cron: '41 3 * * *',
      async handler() {
        await runRightsRetention(
          context.db,
          context.now(),
          context.config.rights.tenancyDeletionDays,
          log,
          context.graphFor,
        );
      },
    },
  ];
}

export async function runRightsRetention(
  db: JobDeps['context']['db'],
  now: Date,
  tenancyDeletionDays: number,
  log?: { info(details: object, message: string): void },
  /** Graph for the tenant: what Mailissa created in its Microsoft 365 is removed first. */
  graphFor?: TenantGraphFactory,
): Promise<{ holdsReleased: number; tenantsDeleted: number }> {
  const holdsReleased = await releaseEndedHolds(db, now);
  const due = await findDueTenancies(db, now, tenancyDeletionDays);
  for (const tenancy of due) {
    const artefacts = graphFor ? await removeMicrosoftArtefacts(db, graphFor, tenancy.tenantId) : null;
    const deletion = await deleteTenantData(db, tenancy.tenantId, tenancy.reason, now, artefacts);
    log?.info({ tenantId: tenancy.tenantId, ...deletion }, 'tenancy data deleted');
  }
  log?.info({ holdsReleased, tenantsDeleted: due.length }, 'rights retention run');
  return { holdsReleased, tenantsDeleted: due.length };
}
