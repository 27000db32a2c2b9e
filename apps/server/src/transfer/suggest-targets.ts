import type { TargetSuggestions } from '@mailissa/contracts';
import type { Queryable } from '../db/database.js';
import { suggestionKeys } from './mail-identity.js';

/** How far back history counts, and how many targets are suggested. */
const HISTORY_DAYS = 180;
const MAX_SUGGESTIONS = 3;

/**
 * Targets ranked from the tenant's transfer history (decision 073): where this conversation went,
 * then this sender's mails, then mails from the sender's domain, then the user's own recent
 * targets; newest first within a rank. Only live, enabled targets. Must run inside withTenant().
 */
export async function suggestTargets(
  tx: Queryable,
  tenantId: string,
  userId: string,
  mail: { conversationId?: string | undefined; sender?: string | undefined },
  now: Date,
): Promise<TargetSuggestions['suggestions']> {
  const keys = suggestionKeys(tenantId, mail);
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const result = await tx.query<{ target_id: string; rank: number }>(
    `select h.target_id, min(h.rank)::int as rank
       from (select target_id, created_at,
                    case when conversation_key = $2 then 1
                         when sender_key = $3 then 2
                         when sender_domain_key = $4 then 3
                         else 4 end as rank
               from transfers
              where tenant_id = $1 and state = 'done' and created_at >= $6
                and (conversation_key = $2 or sender_key = $3 or sender_domain_key = $4 or created_by = $5)) h
       join targets g on g.id = h.target_id and g.tenant_id = $1 and g.deleted_at is null and g.enabled
      group by h.target_id
      order by min(h.rank), max(h.created_at) desc
      limit ${MAX_SUGGESTIONS}`,
    [tenantId, keys.conversation, keys.sender, keys.domain, userId, since],
  );
  const reasons = ['conversation', 'sender', 'domain', 'recent'] as const;
  return result.rows.map((row) => ({ targetId: row.target_id, reason: reasons[row.rank - 1] ?? 'recent' }));
}
