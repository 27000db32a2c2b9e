import type { ConnectorType, Transfer, TransferState } from '@mailissa/contracts';

/** A transfer joined with its target and creator, as the read queries return it. */
export interface TransferViewRow {
  id: string;
  state: TransferState;
  target_id: string;
  target_title: string;
  target_category: string;
  target_connector_type: ConnectorType;
  message_id: string;
  internet_message_id: string;
  created_at: Date;
  finished_at: Date | null;
  created_by: string | null;
  creator_name: string | null;
  folder_url: string | null;
  failure_reason: string | null;
  files: { name: string; size: number }[] | null;
  bytes_done: string | number;
  bytes_total: string | number | null;
  cancel_requested: boolean;
}

/** Select list and joins shared by the read queries; `t` is transfers. */
export const TRANSFER_VIEW_SQL = `
  select t.id, t.state, t.target_id, g.title_en as target_title, coalesce(c.name_en, '') as target_category,
         g.connector_type as target_connector_type,
         t.message_id, t.internet_message_id, t.created_at, t.finished_at, t.created_by,
         u.display_name as creator_name, t.folder_url, t.failure_reason,
         t.bytes_done, t.bytes_total, t.cancel_requested,
         (select coalesce(json_agg(json_build_object('name', f.name, 'size', f.size) order by f.position), '[]'::json)
            from transfer_files f
           where f.transfer_id = t.id and f.tenant_id = t.tenant_id and f.done and f.part_key <> 'record') as files
    from transfers t
    join targets g on g.id = t.target_id and g.tenant_id = t.tenant_id
    left join categories c on c.id = g.category_id and c.tenant_id = g.tenant_id
    left join users u on u.id = t.created_by and u.tenant_id = t.tenant_id`;

export function toTransfer(row: TransferViewRow, viewerUserId: string | null): Transfer {
  return {
    id: row.id,
    state: row.state,
    target: {
      id: row.target_id,
      title: row.target_title,
      category: row.target_category,
      connectorType: row.target_connector_type,
    },
    messageId: row.message_id,
    internetMessageId: row.internet_message_id,
    subject: null,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
    createdBy:
      row.created_by && row.creator_name !== null
        ? { id: row.created_by, displayName: row.creator_name, isYou: row.created_by === viewerUserId }
        : null,
    folderUrl: row.folder_url,
    files: (row.files ?? []).map((file) => ({ name: file.name, size: Number(file.size) })),
    failureReason: row.failure_reason,
    progress: {
      bytesDone: Number(row.bytes_done),
      bytesTotal: row.bytes_total === null ? null : Number(row.bytes_total),
    },
    cancelRequested: row.cancel_requested,
  };
}
