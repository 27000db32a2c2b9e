import { isAppError } from '../errors/app-error.js';
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

/** What a failed deletion is recorded as: a code or class name, never a message that could quote data. */
function failureOf(error: unknown): string {
  if (isAppError(error)) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  const name = error instanceof Error ? error.name : 'unknown';
  return (typeof code === 'string' ? `${name} ${code}` : name).slice(0, 200);
}

/**
 * The nightly run. Each due tenancy is deleted on its own: one that fails (Graph or the database
 * refusing, a row that blocks it) is recorded in `tenant_deletion_failures` and left for the next
 * night, which finds it due again, and the run goes on with the others.
 */
export async function runRightsRetention(
  db: JobDeps['context']['db'],
  now: Date,
  tenancyDeletionDays: number,
  log?: { info(details: object, message: string): void; error?(details: object, message: string): void },
  /** Graph for the tenant: what Mailissa created in its Microsoft 365 is removed first. */
  graphFor?: TenantGraphFactory,
): Promise<{ holdsReleased: number; tenantsDeleted: number; tenantsFailed: number }> {
  const holdsReleased = await releaseEndedHolds(db, now);
  const due = await findDueTenancies(db, now, tenancyDeletionDays);
  let tenantsDeleted = 0;
  let tenantsFailed = 0;
  for (const tenancy of due) {
    try {
      const artefacts = graphFor ? await removeMicrosoftArtefacts(db, graphFor, tenancy.tenantId) : null;
      const deletion = await deleteTenantData(db, tenancy.tenantId, tenancy.reason, now, artefacts);
      tenantsDeleted += 1;
      log?.info({ tenantId: tenancy.tenantId, ...deletion }, 'tenancy data deleted');
    } catch (error) {
      tenantsFailed += 1;
      const failure = failureOf(error);
      // The code only: a database error's detail can quote a row's values.
      log?.error?.(
        { tenantId: tenancy.tenantId, error: failure },
        'deleting a tenancy failed; retried next run',
      );
      await db.query(
        'insert into tenant_deletion_failures (tenant_id, failed_at, error) values ($1, $2, $3)',
        [tenancy.tenantId, now, failure],
      );
    }
  }
  log?.info({ holdsReleased, tenantsDeleted, tenantsFailed }, 'rights retention run');
  return { holdsReleased, tenantsDeleted, tenantsFailed };
}
