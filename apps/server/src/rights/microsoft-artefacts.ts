import type { Queryable } from '../db/database.js';

export type MicrosoftArtefactKind = 'master_category' | 'subscription';

export interface MicrosoftArtefact {
  id: string;
  kind: MicrosoftArtefactKind;
  mailboxObjectId: string | null;
  graphId: string;
  label: string;
}

/**
 * Records something Mailissa created in the customer's Microsoft 365, so that the end of the tenancy
 * removes it again (remove-microsoft-artefacts.ts). Every feature that creates a master category in a
 * mailbox or a change-notification subscription calls this in the transaction that knows the new
 * Graph id. Recording the same artefact twice is harmless. Must run inside withTenant().
 */
export async function recordMicrosoftArtefact(
  tx: Queryable,
  tenantId: string,
  artefact: Omit<MicrosoftArtefact, 'id'>,
  now: Date,
): Promise<void> {
  await tx.query(
    `insert into microsoft_artefacts (tenant_id, kind, mailbox_object_id, graph_id, label, created_at)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (tenant_id, kind, coalesce(mailbox_object_id, ''), graph_id) do nothing`,
    [tenantId, artefact.kind, artefact.mailboxObjectId, artefact.graphId, artefact.label.slice(0, 512), now],
  );
}

/** The feature removed the artefact itself (a subscription it no longer needs): forget it. */
export async function forgetMicrosoftArtefact(
  tx: Queryable,
  tenantId: string,
  artefact: Pick<MicrosoftArtefact, 'kind' | 'graphId'>,
): Promise<void> {
  await tx.query('delete from microsoft_artefacts where tenant_id = $1 and kind = $2 and graph_id = $3', [
    tenantId,
    artefact.kind,
    artefact.graphId,
  ]);
}

export async function listMicrosoftArtefacts(tx: Queryable, tenantId: string): Promise<MicrosoftArtefact[]> {
  const rows = await tx.query<{
    id: string;
    kind: MicrosoftArtefactKind;
    mailbox_object_id: string | null;
    graph_id: string;
    label: string;
  }>(
    `select id, kind, mailbox_object_id, graph_id, label from microsoft_artefacts
      where tenant_id = $1 order by created_at, id`,
    [tenantId],
  );
  return rows.rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    mailboxObjectId: row.mailbox_object_id,
    graphId: row.graph_id,
    label: row.label,
  }));
}
